import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Chain, ChainDefinitionError } from '@stepwise/core';
import { HttpError } from './client/http-error';
import { answerError } from './internal/answer-error';
import { chainDefinitionText, chainList } from './internal/chain-entry';
import { checkProtocol } from './internal/check-protocol';
import { corsMiddleware } from './internal/cors-middleware';
import { createLogger } from './internal/create-logger';
import { startRequest } from './internal/request-context';
import { pathOf, type RouteMatch, Router } from './internal/router';
import { runRoute } from './internal/run-route';
import { sendJson, sendJsonText } from './internal/send-json';
import { attachServerControl, ServerControl } from './internal/server-control';
import type { RunEnvironment } from './internal/stream-run';
import { apiKeyOf, createKeyVerifier } from './internal/verify-api-key';
import { playgroundHandlers } from './playground/serve-playground';
import type { ServerOptions } from './server-options';

const DEFAULT_BODY_BYTES = 1024 * 1024;

/**
 * The HTTP contract as a plain `node:http` request listener, made by {@link createHandler}. It is also Express (and
 * Connect) middleware: given `next`, it hands on the requests it has no route for instead of answering them 404.
 *
 * @example
 * ```ts
 * const handler: StepwiseHandler = createHandler({ runtime, chains: [qa] });
 * http.createServer(handler).listen(8080);
 * ```
 */
export type StepwiseHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Creates the request listener that serves chains over HTTP, on `node:http` alone (no Express): `GET /healthz`,
 * `GET /` (readiness + playground), `GET /v1/chains`, `GET /v1/chains/:name`, and
 * `POST /v1/chains/:name/invoke | stream | chat`, with the same answers, errors, headers and log lines as the app of
 * {@link createServer}, which delegates to it. Import it from `@stepwise/server/handler` where start-up time and
 * bundle size count (a Lambda): that entry loads no Express.
 *
 * Standalone (called with a request and a response), it answers every request, unknown routes with the JSON 404.
 * As middleware (called with `next`), it answers its own routes and calls `next()` for the others, untouched.
 *
 * @example
 * ```ts
 * import { createSfnRuntime } from '@stepwise/runtime-sfn';
 * import { createHandler, serve } from '@stepwise/server/handler';
 *
 * const handler = createHandler({ runtime: createSfnRuntime({ stateMachines }), chains: [qa] });
 * await serve(handler, { port: 8080 }); // graceful shutdown on SIGTERM, as with createServer
 *
 * // or inside an existing Express app, beside its own routes:
 * app.use('/ai', createHandler({ runtime, chains: [qa] }));
 * ```
 */
export function createHandler(options: ServerOptions): StepwiseHandler {
  const chains = new Map<string, Chain<any>>();
  for (const chain of options.chains) {
    if (chains.has(chain.name)) throw new ChainDefinitionError(`Two chains are named "${chain.name}".`);
    chains.set(chain.name, chain);
  }
  const logger = createLogger(options);
  const exposeErrorDetails = options.exposeErrorDetails === true;
  const control = new ServerControl();
  control.logger = logger;
  const env: RunEnvironment = {
    runtime: options.runtime,
    control,
    logContent: options.logger !== false && options.logger?.logContent === true,
    exposeErrorDetails,
    live: options.liveEvents === true,
    detail: options.eventDetail ?? 'top',
  };
  const cors = options.cors ? corsMiddleware(options.cors) : undefined;
  const verify = options.auth ? createKeyVerifier(options.auth) : undefined;

  // routes outside /v1
  const site = new Router();
  site.add({ methods: ['GET'], path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) });
  if (options.playground === false) {
    site.add({ methods: ['GET'], path: '/', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) });
  } else {
    const playground = playgroundHandlers();
    site.add({ methods: ['GET'], path: '/', handle: playground.page });
    site.add({
      methods: ['GET'],
      path: '/playground/:version/:file',
      handle: playground.asset,
      when: (params) => playground.hasFile(params.file!),
    });
  }

  // the API, behind the API key when auth is on
  const api = new Router();
  let listText: string | undefined;
  const definitionTexts = new Map<string, string>();
  api.add({
    methods: ['GET'],
    path: '/v1/chains',
    handle: (_req, res) => {
      // chains are fixed when the handler is made: their JSON Schemas are derived once, on the first request
      listText ??= JSON.stringify(chainList(chains.values()));
      sendJsonText(res, 200, listText);
    },
  });
  api.add({
    methods: ['GET'],
    path: '/v1/chains/:name',
    handle: (_req, res, params) => {
      const chain = chains.get(params.name!);
      if (chain === undefined) {
        throw new HttpError(`No chain is named "${params.name}".`, { status: 404, errorName: 'NotFoundError' });
      }
      let text = definitionTexts.get(chain.name);
      if (text === undefined) {
        text = chainDefinitionText(chain);
        definitionTexts.set(chain.name, text);
      }
      sendJsonText(res, 200, text);
    },
  });
  const runs = {
    chains,
    env,
    concurrency: options.limits?.concurrency ?? Number.POSITIVE_INFINITY,
    retryAfterSeconds: options.limits?.retryAfterSeconds ?? 1,
    bodyBytes: options.limits?.bodyBytes ?? DEFAULT_BODY_BYTES,
    chatInput: options.chatInput,
  };
  for (const kind of ['invoke', 'stream', 'chat'] as const) {
    api.add({ methods: ['POST'], path: `/v1/chains/:name/${kind}`, handle: runRoute(kind, runs) });
  }

  async function answer(req: IncomingMessage, res: ServerResponse, path: string, inApi: boolean, match: RouteMatch) {
    startRequest(req, res, logger);
    try {
      checkProtocol(req);
      if (cors?.(req, res)) return;
      if (inApi && verify !== undefined && !(await verify(apiKeyOf(req), req))) {
        res.setHeader('www-authenticate', 'Bearer');
        throw new HttpError('A valid API key is required (Authorization: Bearer <key> or x-api-key).', {
          status: 401,
          errorName: 'UnauthorizedError',
        });
      }
      if (match.kind === 'route') {
        await match.route.handle(req, res, match.params);
        return;
      }
      if (match.kind === 'malformed') throw match.error;
      if (match.kind === 'method' && inApi && req.method === 'OPTIONS') {
        sendAllow(res, match.allow);
        return;
      }
      throw new HttpError(`No route ${req.method} ${path}.`, { status: 404, errorName: 'NotFoundError' });
    } catch (error) {
      answerError(error, req, res, { exposeErrorDetails, draining: control.draining });
    }
  }

  const handler: StepwiseHandler = (req, res, next) => {
    const path = pathOf(req.url ?? '/');
    const inApi = isApiPath(path);
    const method = req.method ?? 'GET';
    const match = (inApi ? api : site).match(method, path);
    if (next !== undefined && !isOwn(match, req)) {
      next();
      return;
    }
    answer(req, res, path, inApi, match).catch(() => {
      // the error answer itself failed: nothing sensible can be said any more
      res.destroy();
    });
  };
  attachServerControl(handler, control);
  return handler;

  /** As middleware: a request the handler answers (its routes, and CORS preflights to them). */
  function isOwn(match: RouteMatch, req: IncomingMessage): boolean {
    if (match.kind === 'route' || match.kind === 'malformed') return true;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    return match.kind === 'method' && preflight && cors !== undefined;
  }
}

/** `/v1` and what is under it, in any case. */
function isApiPath(path: string): boolean {
  return path.length >= 3 && path.slice(0, 3).toLowerCase() === '/v1' && (path.length === 3 || path[3] === '/');
}

/** The answer to `OPTIONS` on an API path that has routes for other methods: 200 and `Allow`. */
function sendAllow(res: ServerResponse, methods: string[]): void {
  const allow = methods.join(', ');
  res.setHeader('allow', allow);
  res.setHeader('content-length', Buffer.byteLength(allow));
  res.setHeader('content-type', 'text/plain');
  res.setHeader('x-content-type-options', 'nosniff');
  res.statusCode = 200;
  res.end(allow);
}
