import type { IncomingMessage, ServerResponse } from 'node:http';
import { preferredEncoding } from '../internal/negotiate';
import { sendJson } from '../internal/send-json';
import { type PlaygroundAsset, type PlaygroundAssets, playgroundAssets } from './playground-assets';

/**
 * The playground's routes, over the files `load` gives (default: {@link playgroundAssets}, read once per process).
 * @internal
 */
export function playgroundHandlers(load: () => PlaygroundAssets | null = playgroundAssets): {
  page(req: IncomingMessage, res: ServerResponse): void;
  hasFile(file: string): boolean;
  asset(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): void;
} {
  return {
    /**
     * `GET /`: the page. Revalidated on every load (`no-cache` and an ETag), so a new server version shows at once;
     * the page names its files by version. Without its files (a bundle that left them out), `{"status":"ok"}` as with
     * `playground: false`: `/` is also a readiness check (Lambda Web Adapter's).
     */
    page(req, res) {
      const assets = load();
      if (assets === null) {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      res.setHeader('content-security-policy', assets.csp);
      res.setHeader('referrer-policy', 'no-referrer');
      send(req, res, assets.page, 'no-cache');
    },
    /** Whether the playground has a file of this name (`GET /playground/:version/:file` is a route only then). */
    hasFile(file) {
      return load()?.files.has(file) === true;
    },
    /**
     * `GET /playground/:version/:file`: a stylesheet or module of the page. Files of the current version are
     * immutable for a year; a request naming another version (a page from before a deploy) gets today's file,
     * revalidated.
     */
    asset(req, res, params) {
      const assets = load()!;
      const file = assets.files.get(params.file!)!;
      const current = params.version === assets.version;
      send(req, res, file, current ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, asset: PlaygroundAsset, cacheControl: string): void {
  res.setHeader('content-type', asset.type);
  res.setHeader('cache-control', cacheControl);
  res.setHeader('etag', asset.etag);
  res.setHeader('x-content-type-options', 'nosniff');
  if (asset.gzip !== undefined) res.setHeader('vary', 'accept-encoding');
  if (matches(req.headers['if-none-match'], asset.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const acceptEncoding = req.headers['accept-encoding'];
  const gzip =
    asset.gzip !== undefined &&
    acceptEncoding !== undefined &&
    preferredEncoding(acceptEncoding, ['gzip', 'identity']) === 'gzip';
  const body = gzip ? asset.gzip! : asset.body;
  if (gzip) res.setHeader('content-encoding', 'gzip');
  res.setHeader('content-length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}
