import { AbortedError, type Chain, type ChainEvent, type ChainInput, type ChainOutput } from '@stepwise/core';
import { chainEndpoint } from './chain-endpoint';
import type { ClientOptions } from './client-options';
import { errorFromResponse } from './error-from-response';
import { parseChainEventStream } from './parse-chain-event-stream';

/**
 * Runs a chain on a stepwise server and yields its `ChainEvent`s as they stream in. `url` is the chain's URL
 * (`http://host/v1/chains/qa`; a URL ending in `/stream` is used as is). HTTP errors before the stream starts
 * throw typed errors (`InputValidationError` with its issues for 422, `HttpError` for 401, 404, 429, ...);
 * failures during the run arrive as a final `error` event. Breaking out of the loop or aborting `signal`
 * closes the connection, which aborts the run on the server. Given the chain's type
 * (`streamChain<typeof qa>(...)`), the input must be the chain's input and `chain-end` carries its output type.
 *
 * @example
 * ```ts
 * for await (const event of streamChain('http://localhost:8080/v1/chains/qa', { question: 'What is stepwise?' })) {
 *   if (event.type === 'text-delta') process.stdout.write(event.delta);
 * }
 * ```
 */
export async function* streamChain<C extends Chain<any, any, any> = Chain>(
  url: string,
  input: ChainInput<C>,
  options: ClientOptions = {},
): AsyncGenerator<ChainEvent<ChainOutput<C>>, void, undefined> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  try {
    let response: Response;
    try {
      response = await (options.fetch ?? globalThis.fetch)(chainEndpoint(url, 'stream'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...options.headers },
        body: JSON.stringify({ input }),
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) throw new AbortedError('The request was aborted.', { cause: error });
      throw error;
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (response.body === null) throw await errorFromResponse(response);
    // The server runs the chain; its events carry the chain's output.
    yield* parseChainEventStream(response.body, { signal: controller.signal }) as AsyncIterable<
      ChainEvent<ChainOutput<C>>
    >;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}
