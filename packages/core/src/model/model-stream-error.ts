import { ModelError } from '../errors/model-error';
import { StepwiseError } from '../errors/stepwise-error';

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

/** Whether a failure is one the service named (an exception, a stepwise error) or an abort. */
function isNamedFailure(error: unknown): boolean {
  if (StepwiseError.isInstance(error)) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, $fault } = error as { name?: unknown; $fault?: unknown };
  if (name === 'AbortError') return true;
  if ($fault === 'client' || $fault === 'server') return true;
  return typeof name === 'string' && name !== 'Exception' && name.endsWith('Exception');
}

/**
 * Options of {@link toModelStreamFailure}.
 *
 * @example
 * ```ts
 * const options: ModelStreamFailureOptions = { signal, started: true };
 * ```
 */
export interface ModelStreamFailureOptions {
  /** The call's signal: once it has aborted, every failure is the abort and passes unchanged. */
  signal?: AbortSignal | undefined;
  /**
   * Whether the stream had started when the failure came. Default: whether the failure carries the AWS SDK's
   * `$metadata.httpStatusCode` of a 2xx answer (the SDK reads the first frame before `send()` resolves, so a cut
   * there rejects `send()` with the 200 it had received).
   */
  started?: boolean;
}

/**
 * Names a failure of a model stream. Once the stream has started, a failure nobody named (a socket or HTTP/2 stream
 * reset, a premature close, a frame cut short or failing its checksum) becomes `Bedrock.ModelStreamErrorException`
 * (see {@link modelStreamError}), with the original as its `cause`. Everything else passes unchanged: a failure the
 * service named (an in-stream exception such as `ThrottlingException`, anything with the SDK's `$fault`), a
 * `StepwiseError`, an abort, and any failure before the stream started (the request's own errors).
 *
 * @example
 * ```ts
 * try {
 *   const output = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
 *   // ...
 * } catch (error) {
 *   throw toMyError(toModelStreamFailure(error, { signal }));
 * }
 * ```
 */
export function toModelStreamFailure(error: unknown, options: ModelStreamFailureOptions = {}): unknown {
  if (options.signal?.aborted || isNamedFailure(error)) return error;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  const started = options.started ?? (typeof status === 'number' && status >= 200 && status < 300);
  return started ? modelStreamError('The model stream broke off before its end.', error) : error;
}
