import type { ServerResponse } from 'node:http';

/** `Cache-Control: no-cache` in a request: the client wants a full answer, not a 304. */
const NO_CACHE = /(?:^|,)\s*?no-cache\s*?(?:,|$)/;

/**
 * Answers with a JSON body: `Content-Type: application/json; charset=utf-8` and `Content-Length`, no body for
 * `HEAD`. The answers carry no validator, so the one conditional request they satisfy is `If-None-Match: *` on a
 * `GET` or `HEAD` with a 2xx status: a 304 without body (as HTTP says, and as the Express app answered).
 * @internal
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value));
}

/** {@link sendJson} for a body already serialised. @internal */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  const req = res.req;
  const method = req.method;
  res.statusCode = status;
  if ((method === 'GET' || method === 'HEAD') && status >= 200 && status < 300 && isFresh(req.headers)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (method === 'HEAD') res.end();
  else res.end(text);
}

function isFresh(headers: ServerResponse['req']['headers']): boolean {
  if (headers['if-none-match'] !== '*') return false;
  const cacheControl = headers['cache-control'];
  return cacheControl === undefined || !NO_CACHE.test(cacheControl);
}
