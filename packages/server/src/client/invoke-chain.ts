import { AbortedError, type Chain, type ChainInput, type ChainOutput, type ChainResult } from '@stepwise/core';
import { chainEndpoint } from './chain-endpoint';
import type { ClientOptions } from './client-options';
import { errorFromResponse } from './error-from-response';

/**
 * Runs a chain on a stepwise server and resolves with its result (`{output, text?, usage, steps}`). `url` is the
 * chain's URL (`http://host/v1/chains/qa`; a URL ending in `/invoke` is used as is). Failures reject with typed
 * errors: `InputValidationError` (422), `StepFailedError` (502), `ExecutionTimeoutError` (504), `HttpError` (others).
 * Given the chain's type (`invokeChain<typeof qa>(...)`), the input must be the chain's input and the result's
 * `output` has the chain's output type; the chain itself stays on the server.
 *
 * @example
 * ```ts
 * const result = await invokeChain('http://localhost:8080/v1/chains/qa', { question: 'Hi' }, {
 *   headers: { authorization: `Bearer ${process.env.API_KEY}` },
 * });
 * console.log(result.text);
 *
 * import type { qa } from './chains';
 * const typed = await invokeChain<typeof qa>('http://localhost:8080/v1/chains/qa', { question: 'Hi' });
 * typed.output; // the chain's output type
 * ```
 */
export async function invokeChain<C extends Chain<any, any, any> = Chain>(
  url: string,
  input: ChainInput<C>,
  options: ClientOptions = {},
): Promise<ChainResult<ChainOutput<C>>> {
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(chainEndpoint(url, 'invoke'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify({ input }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw new AbortedError('The request was aborted.', { cause: error });
    throw error;
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as ChainResult<ChainOutput<C>>;
}
