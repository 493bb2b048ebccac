/**
 * Options of `streamChain` and `invokeChain`.
 *
 * @example
 * ```ts
 * const options: ClientOptions = { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(30_000) };
 * ```
 */
export interface ClientOptions {
  /** Aborts the request; the server aborts the run. */
  signal?: AbortSignal;
  /** Extra headers (`authorization`, `x-api-key`, `x-request-id`, ...). */
  headers?: Record<string, string>;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}
