import type { RequestHandler } from 'express';
import type { CorsOptions } from '../server-options';

const EXPOSED = 'x-request-id, x-vercel-ai-ui-message-stream, retry-after';
const ALLOWED_HEADERS = 'content-type, authorization, x-api-key, x-request-id';

/**
 * CORS for an allow-list of origins: actual requests from an allowed origin get `Access-Control-Allow-Origin`
 * (the origin itself, with `Vary: Origin`); preflights (`OPTIONS` with `Access-Control-Request-Method`) are answered
 * here: 204 with the allowed methods and headers, or 403 when the origin is not allowed.
 * @internal
 */
export function corsMiddleware(options: CorsOptions): RequestHandler {
  const any = options.origins === '*';
  const allowed = new Set(any ? [] : (options.origins as string[]));
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return (req, res, next) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    res.vary('Origin');
    if (origin === undefined) return preflight ? void res.status(204).end() : next();
    const ok = any || allowed.has(origin);
    if (!ok) {
      if (preflight) {
        const requestId = (res.locals.stepwise as { requestId?: string } | undefined)?.requestId;
        res.status(403).json({
          error: {
            name: 'ForbiddenError',
            message: 'This origin is not allowed.',
            ...(requestId ? { requestId } : {}),
          },
        });
        return;
      }
      return next();
    }
    res.setHeader('access-control-allow-origin', any && !options.credentials ? '*' : origin);
    if (options.credentials) res.setHeader('access-control-allow-credentials', 'true');
    if (!preflight) {
      res.setHeader('access-control-expose-headers', EXPOSED);
      return next();
    }
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    const requested = req.headers['access-control-request-headers'];
    res.setHeader('access-control-allow-headers', typeof requested === 'string' ? requested : ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', maxAge);
    res.status(204).end();
  };
}
