// The server's HTTP API as the page uses it: JSON reads, and the SSE stream read part by part.

const KEY = 'stepwise.apiKey';

/** The API key kept in this browser (sent as `Authorization: Bearer`), or ''. */
export function apiKey() {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

/** @param {string} key */
export function setApiKey(key) {
  try {
    if (key) localStorage.setItem(KEY, key);
    else localStorage.removeItem(KEY);
  } catch {
    // storage unavailable (private mode): the key lasts as long as the page
  }
}

/**
 * @param {Record<string, string>} [extra]
 * @returns {Record<string, string>}
 */
export function headers(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
}

/**
 * GETs JSON from the API (a path relative to the page); throws an `ApiError` with the server's error body.
 *
 * @param {string} path
 * @param {AbortSignal} [signal]
 */
export async function getJson(path, signal) {
  return jsonOf(await fetch(path, { headers: headers({ accept: 'application/json' }), signal }));
}

/**
 * The JSON body of an answer, or its `ApiError`.
 *
 * @param {Response} response
 */
export async function jsonOf(response) {
  if (!response.ok) throw await apiError(response);
  return response.json();
}

let boot;

/**
 * The answer boot.js already asked for, once: the chain list (`'chains'`), or a chain by name when it is the one
 * boot.js read, else read now. Undefined when boot.js asked nothing, or with another API key than now.
 *
 * @param {string} what `'chains'`, or a chain's name
 * @returns {Promise<any> | undefined}
 */
export function takeBoot(what) {
  if (boot === undefined) {
    const started = globalThis.stepwiseBoot;
    boot = started ? { key: started.key, chains: started.chains.then(bodyOf), chain: started.chain } : {};
    boot.chains?.catch(() => {});
  }
  if (boot.key !== apiKey()) return undefined;
  if (what === 'chains') {
    const pending = boot.chains;
    boot.chains = undefined;
    return pending;
  }
  const pending = boot.chain;
  boot.chain = undefined;
  return pending?.then((read) =>
    read?.name === what ? bodyOf(read.answer) : getJson(`v1/chains/${encodeURIComponent(what)}`),
  );
}

/**
 * The error of a failed response, from its JSON body when it has one.
 *
 * @param {Response} response
 * @returns {Promise<ApiError>}
 */
export async function apiError(response) {
  const body = await response.json().catch(() => ({}));
  return errorOf(response.status, response.statusText, body);
}

/** The body boot.js read, or its error. */
function bodyOf(read) {
  if (!read.ok) throw errorOf(read.status, read.statusText, read.body);
  return read.body;
}

/** @returns {ApiError} */
function errorOf(status, statusText, body) {
  const error = body?.error ?? {};
  return Object.assign(new Error(error.message ?? statusText), {
    name: error.name ?? 'HttpError',
    status,
    issues: Array.isArray(error.issues) ? error.issues : [],
    requestId: error.requestId,
  });
}

/**
 * Reads an SSE body to its end, handing each `data:` payload, parsed, to `onPart` (`[DONE]` ends it).
 * Resolves to true when the stream said `[DONE]`.
 *
 * @param {ReadableStream<Uint8Array>} body
 * @param {(part: any) => void} onPart
 * @returns {Promise<boolean>}
 */
export async function readParts(body, onPart) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  const flush = (block) => {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data === '') return;
    if (data === '[DONE]') done = true;
    else onPart(JSON.parse(data));
  };
  for (;;) {
    const chunk = await reader.read();
    buffer += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
    buffer = buffer.replaceAll('\r\n', '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      flush(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
    if (chunk.done) break;
  }
  if (buffer.trim() !== '') flush(buffer);
  return done;
}

/**
 * @typedef {Error & { status: number, issues: { path: (string | number)[], message: string }[], requestId?: string }} ApiError
 */
