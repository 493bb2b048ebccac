// `@stepwise/server/handler`: the HTTP contract on `node:http` alone. Nothing this entry imports loads Express
// (a test checks it), so a Lambda that serves chains with it starts faster and bundles smaller. The main entry
// re-exports it, adding `createServer` (the Express app).
export type { ChatRequest, ChatRequestMessage } from '../chat-request';
export { HttpError, type HttpErrorOptions } from '../client/http-error';
export type { ChainMessageMetadata, StepPartData, StepStatus, UiMessageChunk } from '../client/ui-message-chunk';
export { createClientErrorHandler } from '../create-client-error-handler';
export { createHandler, type StepwiseHandler } from '../create-handler';
export { createUiMessageEncoder, type StreamError, type UiMessageEncoder } from '../create-ui-message-encoder';
export { defaultChatInput } from '../default-chat-input';
export { type ServeOptions, type ServerHandle, serve } from '../serve';
export type {
  ApiKeyVerifier,
  AuthOptions,
  ChatInputMapper,
  CorsOptions,
  LimitsOptions,
  LoggerOptions,
  ServerOptions,
} from '../server-options';
