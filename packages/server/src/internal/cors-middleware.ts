import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsOptions } from '../server-options';
import { recordOf } from './request-record';
import { sendJson } from './send-json';

const EXPOSED = 'x-request-id, x-vercel-ai-ui-message-stream, retry-after';
const ALLOWED_HEADERS = 'content-type, authorization, x-api-key, x-request-id';

/**
 * CORS for an allow-list of origins: actual requests from an allowed origin get `Access-Control-Allow-Origin`
 * (the origin itself, with `Vary: Origin`); preflights (`OPTIONS` with `Access-Control-Request-Method`) are answered
 * here: 204 with the allowed methods and headers, or 403 when the origin is not allowed. The returned function
 * answers `true` when it answered the request (a preflight), `false` when the request goes on.
 * @internal
 */
export function corsMiddleware(options: CorsOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const any = options.origins === '*';
  const allowed = new Set(any ? [] : (options.origins as string[]));
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return (req, res) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    addVary(res, 'Origin');
    if (origin === undefined) {
      if (!preflight) return false;
      res.statusCode = 204;
      res.end();
      return true;
    }
    const ok = any || allowed.has(origin);
    if (!ok) {
      if (!preflight) return false;
      const requestId = recordOf(res)?.requestId;
      sendJson(res, 403, {
        error: { name: 'ForbiddenError', message: 'This origin is not allowed.', ...(requestId ? { requestId } : {}) },
      });
      return true;
    }
    res.setHeader('access-control-allow-origin', any && !options.credentials ? '*' : origin);
    if (options.credentials) res.setHeader('access-control-allow-credentials', 'true');
    if (!preflight) {
      res.setHeader('access-control-expose-headers', EXPOSED);
      return false;
    }
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    const requested = req.headers['access-control-request-headers'];
    res.setHeader('access-control-allow-headers', typeof requested === 'string' ? requested : ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', maxAge);
    res.statusCode = 204;
    res.end();
    return true;
  };
}

/** Adds `field` to the response's `Vary` header, once (`*` already covers every field). */
function addVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('vary');
  const value = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  const fields = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (fields.includes('*') || fields.some((name) => name.toLowerCase() === field.toLowerCase())) return;
  res.setHeader('vary', value.trim() === '' ? field : `${value}, ${field}`);
}
