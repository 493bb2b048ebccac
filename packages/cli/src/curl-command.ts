/**
 * A ready-to-paste `curl -N` line that streams a chain from a stepwise server.
 *
 * @example
 * ```ts
 * curlCommand('http://127.0.0.1:3000', 'rag-assistant', { question: 'Hi' });
 * // curl -N http://127.0.0.1:3000/v1/chains/rag-assistant/stream -H 'content-type: application/json' -d '{"input":{"question":"Hi"}}'
 * ```
 */
export function curlCommand(baseUrl: string, chainName: string, input: unknown): string {
  const body = JSON.stringify({ input }).replaceAll("'", "'\\''");
  return `curl -N ${baseUrl.replace(/\/$/, '')}/v1/chains/${encodeURIComponent(chainName)}/stream -H 'content-type: application/json' -d '${body}'`;
}
