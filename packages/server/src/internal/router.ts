import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../client/http-error';

/** A route's handler: the request, the response, the path parameters (percent-decoded). @internal */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => unknown;

/** One route. @internal */
export interface Route {
  /** Methods answered; a `GET` route answers `HEAD` too. */
  methods: readonly string[];
  /** `/v1/chains/:name/invoke`: literal segments (matched case-insensitively) and `:parameters` (one segment each). */
  path: string;
  handle: RouteHandler;
  /** Matches only when this holds for the parameters (a playground file that exists). */
  when?: (params: Record<string, string>) => boolean;
}

/** What the router found for a request. @internal */
export type RouteMatch =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  /** Routes have this path, none the method; `allow` lists their methods (sorted, `HEAD` with `GET`). */
  | { kind: 'method'; allow: string[] }
  /** A route has this path, but a parameter is not valid percent-encoding. */
  | { kind: 'malformed'; error: HttpError }
  | { kind: 'none' };

interface CompiledRoute {
  route: Route;
  /** Per segment: the literal in lower case, or `null` for a parameter. */
  segments: Array<string | null>;
  names: string[];
}

/**
 * A tiny router with the matching rules of the Express app it replaces: literal segments ignore case, one trailing
 * slash is ignored, a parameter is one non-empty segment, decoded with `decodeURIComponent` (a malformed one is a 400),
 * the query is not part of the path. Routes are tried in order.
 * @internal
 */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(route: Route): void {
    const parts = route.path.split('/').slice(1);
    this.routes.push({
      route,
      segments: parts.map((part) => (part.startsWith(':') ? null : part.toLowerCase())),
      names: parts.filter((part) => part.startsWith(':')).map((part) => part.slice(1)),
    });
  }

  /** The route for `method` on `path` (a pathname, still percent-encoded). */
  match(method: string, path: string): RouteMatch {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    if (!trimmed.startsWith('/')) return { kind: 'none' };
    const segments = trimmed.split('/').slice(1);
    let allow: string[] | undefined;
    for (const compiled of this.routes) {
      const raw = matchSegments(compiled.segments, segments);
      if (raw === undefined) continue;
      const params: Record<string, string> = {};
      for (const [index, value] of raw.entries()) {
        if (!value.includes('%')) {
          params[compiled.names[index]!] = value;
          continue;
        }
        try {
          params[compiled.names[index]!] = decodeURIComponent(value);
        } catch {
          return {
            kind: 'malformed',
            error: new HttpError('The request is malformed.', { status: 400, errorName: 'BadRequestError' }),
          };
        }
      }
      const { route } = compiled;
      if (route.when !== undefined && !route.when(params)) continue;
      const answers = route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'));
      if (answers) return { kind: 'route', route, params };
      allow ??= [];
      for (const known of route.methods) {
        allow.push(known);
        if (known === 'GET' && !route.methods.includes('HEAD')) allow.push('HEAD');
      }
    }
    return allow === undefined ? { kind: 'none' } : { kind: 'method', allow: [...new Set(allow)].sort() };
  }
}

/** The parameter values (still encoded) when the segments match the pattern. */
function matchSegments(pattern: Array<string | null>, segments: string[]): string[] | undefined {
  if (pattern.length !== segments.length) return undefined;
  const values: string[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index];
    const segment = segments[index]!;
    if (expected === null) {
      if (segment === '') return undefined;
      values.push(segment);
    } else if (expected !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return values;
}

/**
 * The path of a request, still percent-encoded and without the query: from an origin-form target (`/v1/chains?x`),
 * an absolute-form one (`http://host/v1/chains`), or as it is (`*`).
 * @internal
 */
export function pathOf(url: string): string {
  let path = url;
  if (!url.startsWith('/')) {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(url);
    if (scheme !== null) path = url.slice(scheme[0].length) || '/';
  }
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}
