export type { ClientOptions } from './client-options';
export { type ChainEventDecoder, createChainEventDecoder } from './create-chain-event-decoder';
export { errorFromResponse } from './error-from-response';
export { HttpError, type HttpErrorOptions } from './http-error';
export { invokeChain } from './invoke-chain';
export { parseChainEventStream } from './parse-chain-event-stream';
export { streamChain } from './stream-chain';
export type { ChainMessageMetadata, StepPartData, StepStatus, UiMessageChunk } from './ui-message-chunk';
