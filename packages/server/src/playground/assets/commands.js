// "Copy as curl" and "copy as CLI command": a run reproduced from a POSIX shell. No DOM here: the tests run it in Node.

/**
 * A word for a POSIX shell: as is when it is only safe characters, else in single quotes (`'` as `'\''`).
 *
 * @param {string} text
 * @returns {string}
 */
export function shellQuote(text) {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The `curl -N` line that sends the same request to the same server: `/stream` with `{"input": ...}`, or `/chat` with
 * the chat request. With an API key, the header reads it from `$STEPWISE_API_KEY` (the key itself is not copied).
 *
 * @param {{ pageUrl: string, chain: string, route: 'stream' | 'chat', body: unknown, apiKey?: boolean }} request
 * @returns {string}
 */
export function curlCommand(request) {
  const url = new URL(`v1/chains/${encodeURIComponent(request.chain)}/${request.route}`, request.pageUrl);
  const words = ['curl', '-N', shellQuote(url.href), '-H', shellQuote('content-type: application/json')];
  if (request.apiKey) words.push('-H', '"authorization: Bearer $STEPWISE_API_KEY"');
  words.push('-d', shellQuote(JSON.stringify(request.body)));
  return words.join(' ');
}

/**
 * The `stepwise run` line that runs the same chain on the same input from its chain file.
 *
 * @param {{ file: string, chain: string, input: unknown }} request
 * @returns {string}
 */
export function cliCommand(request) {
  return [
    'stepwise',
    'run',
    shellQuote(request.file || 'chains.ts'),
    '--chain',
    shellQuote(request.chain),
    '--input',
    shellQuote(JSON.stringify(request.input)),
  ].join(' ');
}
