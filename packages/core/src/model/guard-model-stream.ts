import { AbortedError } from '../errors/aborted-error';
import type { ModelStreamPart } from './model-provider';
import { modelStreamError, toModelStreamFailure } from './model-stream-error';

/**
 * Options of {@link guardModelStream}.
 *
 * @example
 * ```ts
 * const options: GuardModelStreamOptions = { signal: controller.signal };
 * ```
 */
export interface GuardModelStreamOptions {
  /**
   * The call's signal: once it has aborted, failures pass through unchanged (they are the abort), and a stream
   * that ends early fails with `AbortedError`.
   */
  signal?: AbortSignal | undefined;
}

/**
 * Holds a model stream to the `ModelProvider` contract: text deltas, then one `finish`. A stream that ends without
 * its `finish` (the connection dropped between two events, and the SDK's iterator just ended) fails with
 * `Bedrock.ModelStreamErrorException` instead of looking like a whole answer. A failure of the source mid-stream
 * keeps its name when the service named it (an in-stream exception such as `ThrottlingException`, a
 * `ModelError`, an abort); any other failure (a socket reset, an HTTP/2 stream reset, a premature close, a frame
 * whose checksum fails) becomes `Bedrock.ModelStreamErrorException` too, with the original as its `cause`.
 *
 * Parts pass through as they come, so the deltas before a failure still reach the consumer.
 *
 * @example
 * ```ts
 * for await (const part of guardModelStream(decodeMyStream(response.body), { signal })) {
 *   if (part.type === 'text-delta') process.stdout.write(part.delta);
 * }
 * // throws ModelError { error: 'Bedrock.ModelStreamErrorException' } when the stream was cut
 * ```
 */
export async function* guardModelStream(
  parts: AsyncIterable<ModelStreamPart>,
  options: GuardModelStreamOptions = {},
): AsyncGenerator<ModelStreamPart, void, undefined> {
  const iterator = parts[Symbol.asyncIterator]();
  let finished = false;
  let open = true;
  try {
    for (;;) {
      let next: IteratorResult<ModelStreamPart>;
      try {
        next = await iterator.next();
      } catch (error) {
        open = false;
        throw toModelStreamFailure(error, { signal: options.signal, started: true });
      }
      if (next.done) {
        open = false;
        break;
      }
      if (next.value.type === 'finish') finished = true;
      yield next.value;
    }
  } finally {
    if (open) await iterator.return?.();
  }
  if (finished) return;
  if (options.signal?.aborted) throw new AbortedError('The model call was aborted.');
  throw modelStreamError('The model stream ended before its final event: the answer is incomplete.');
}
