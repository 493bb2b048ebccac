import { ModelError } from '../errors/model-error';

/**
 * The error of a model stream that broke off before its end: `Bedrock.ModelStreamErrorException` (HTTP 424), the
 * name Bedrock gives a failed stream, retryable. Raised when the stream ends without its final event (the
 * connection dropped at a frame boundary) and when the transport fails mid-stream (a reset, a premature close, a
 * frame that fails its checksum).
 *
 * @example
 * ```ts
 * throw modelStreamError('The model stream ended before its final event.', socketError);
 * ```
 */
export function modelStreamError(message: string, cause?: unknown): ModelError {
  return new ModelError(message, {
    error: 'Bedrock.ModelStreamErrorException',
    statusCode: 424,
    ...(cause === undefined ? {} : { cause }),
  });
}
