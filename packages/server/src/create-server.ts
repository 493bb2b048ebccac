import { randomUUID } from 'node:crypto';
import { type Chain, ChainDefinitionError, inputJsonSchemaOf, outputJsonSchemaOf } from '@stepwise/core';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { type Logger, pino } from 'pino';
import type { ChatRequest } from './chat-request';
import { HttpError } from './client/http-error';
import { defaultChatInput } from './default-chat-input';
import { closeAfterAnswer, hasBody, hasUnreadBody } from './internal/close-gracefully';
import { corsMiddleware } from './internal/cors-middleware';
import { errorResponse } from './internal/error-response';
import type { Failure } from './internal/failure';
import { emptyBody, readJsonBody } from './internal/read-json-body';
import { type RequestRecord, recordOf } from './internal/request-record';
import { attachServerControl, ServerControl } from './internal/server-control';
import { invokeRun, type RunEnvironment, streamRun } from './internal/stream-run';
import { apiKeyOf, createKeyVerifier } from './internal/verify-api-key';
import { playgroundHandlers } from './playground/serve-playground';
import type { ChatInputMapper, ServerOptions } from './server-options';

const DEFAULT_BODY_BYTES = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Creates the Express 5 app that serves chains over HTTP: `GET /healthz`, `GET /` (readiness + playground),
 * `GET /v1/chains`, `GET /v1/chains/:name`, and `POST /v1/chains/:name/invoke | stream | chat`. Streams speak the
 * AI SDK UI message stream protocol v1 over SSE. Listen with {@link serve} (graceful shutdown) or any Node HTTP server.
 *
 * @example
 * ```ts
 * import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
 * import { createServer, serve } from '@stepwise/server';
 *
 * const app = createServer({
 *   runtime: createLocalRuntime({ models: fakeModels({ default: 'Hello!' }) }),
 *   chains: [qa],
 *   auth: { apiKeys: [process.env.API_KEY!] },
 *   cors: { origins: ['https://app.example.com'] },
 *   limits: { concurrency: 200 },
 * });
 * await serve(app, { port: 8080 });
 * ```
 */
export function createServer(options: ServerOptions): Express {
  const chains = new Map<string, Chain<any>>();
  for (const chain of options.chains) {
    if (chains.has(chain.name)) throw new ChainDefinitionError(`Two chains are named "${chain.name}".`);
    chains.set(chain.name, chain);
  }
  const logger = createLogger(options);
  const logContent = options.logger !== false && options.logger?.logContent === true;
  const exposeErrorDetails = options.exposeErrorDetails === true;
  const control = new ServerControl();
  control.logger = logger;
  const env: RunEnvironment = {
    runtime: options.runtime,
    control,
    logContent,
    exposeErrorDetails,
    live: options.liveEvents === true,
    detail: options.eventDetail ?? 'top',
  };
  const concurrency = options.limits?.concurrency ?? Number.POSITIVE_INFINITY;
  const retryAfterSeconds = options.limits?.retryAfterSeconds ?? 1;
  const bodyBytes = options.limits?.bodyBytes ?? DEFAULT_BODY_BYTES;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  attachServerControl(app, control);

  app.use(requestContext(logger));
  app.use(checkProtocol);
  if (options.cors) app.use(corsMiddleware(options.cors));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  if (options.playground === false) {
    app.get('/', (_req, res) => {
      res.json({ status: 'ok' });
    });
  } else {
    const playground = playgroundHandlers();
    app.get('/', playground.page);
    app.get('/playground/:version/:file', playground.asset);
  }

  const v1 = express.Router();
  if (options.auth) {
    const verify = createKeyVerifier(options.auth);
    v1.use(async (req, res, next) => {
      if (await verify(apiKeyOf(req), req)) return next();
      res.setHeader('www-authenticate', 'Bearer');
      throw new HttpError('A valid API key is required (Authorization: Bearer <key> or x-api-key).', {
        status: 401,
        errorName: 'UnauthorizedError',
      });
    });
  }
  v1.get('/chains', (_req, res) => {
    res.json({ chains: [...chains.values()].map((chain) => ({ ...chainEntry(chain), ...outputSchemaOf(chain) })) });
  });
  v1.get('/chains/:name', (req, res) => {
    const chain = chains.get(req.params.name as string);
    if (chain === undefined) {
      throw new HttpError(`No chain is named "${req.params.name}".`, { status: 404, errorName: 'NotFoundError' });
    }
    // the definition is data: the steps (and output) as written, for the playground's graph and inspector
    const entry = chainEntry(chain);
    entry.steps = chain.steps;
    if (chain.output !== undefined) entry.output = chain.output;
    // A task's `output` may be a schema object (zod, valibot...): code, not data; it is left out.
    res.type('json').send(JSON.stringify(entry, withoutSchemaObjects));
  });

  const runRoute =
    (kind: 'invoke' | 'stream' | 'chat'): RequestHandler =>
    async (req, res) => {
      const chain = chains.get(req.params.name as string);
      if (chain === undefined) {
        throw new HttpError(`No chain is named "${req.params.name}".`, { status: 404, errorName: 'NotFoundError' });
      }
      const record = recordOf(res);
      record.chain = chain.name;
      if (control.draining) {
        res.setHeader('connection', 'close');
        throw new HttpError('The server is shutting down.', {
          status: 503,
          errorName: 'ServiceUnavailableError',
          retryAfterSeconds,
        });
      }
      if (!isJsonType(req.headers['content-type'])) {
        throw new HttpError('The request body must be JSON (Content-Type: application/json).', {
          status: 415,
          errorName: 'UnsupportedMediaTypeError',
        });
      }
      if (!hasBody(req)) throw emptyBody();
      const body = await readJsonBody(req, res, bodyBytes);
      const input = kind === 'chat' ? chatInputOf(body, chain.name) : runInputOf(body);
      if (control.activeRuns >= concurrency) {
        throw new HttpError('Too many runs at once; try again shortly.', {
          status: 429,
          errorName: 'TooManyRequestsError',
          retryAfterSeconds,
        });
      }
      if (logContent) record.input = input;
      if (kind === 'invoke') return invokeRun(env, res, chain, input);
      const mode =
        kind === 'stream' && req.accepts(['text/event-stream', 'text/plain']) === 'text/plain' ? 'text' : 'sse';
      return streamRun(env, req, res, chain, input, mode);
    };
  v1.post('/chains/:name/invoke', runRoute('invoke'));
  v1.post('/chains/:name/stream', runRoute('stream'));
  v1.post('/chains/:name/chat', runRoute('chat'));
  app.use('/v1', v1);

  app.use((req, _res) => {
    throw new HttpError(`No route ${req.method} ${req.path}.`, { status: 404, errorName: 'NotFoundError' });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const record = recordOf(res);
    const response = errorResponse(error, {
      expose: exposeErrorDetails,
      requestId: record.requestId,
      draining: control.draining,
    });
    record.outcome = 'error';
    record.errorName = response.body.error.name;
    if (response.failure !== undefined) {
      record.failure = response.failure;
      if (response.failure.stepId !== undefined) record.stepId = response.failure.stepId;
    }
    if (response.unexpected) record.unexpected = true;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (response.headers) res.set(response.headers);
    // answered before the upload arrived (401, 404, 413, 415...): do not read it, close the connection
    if (hasUnreadBody(req)) closeAfterAnswer(req, res);
    res.status(response.status).json(response.body);
  });

  function chatInputOf(body: unknown, chainName: string): unknown {
    if (!isChatRequest(body)) {
      throw new HttpError('The body must be a chat request: {"messages": [{"role", "parts": [...]}], ...}.', {
        status: 400,
        errorName: 'BadRequestError',
      });
    }
    const mapper: ChatInputMapper =
      typeof options.chatInput === 'function'
        ? options.chatInput
        : (options.chatInput?.[chainName] ?? defaultChatInput);
    const input = mapper(body);
    if (input === undefined) {
      throw new HttpError('The chat request has no user message.', { status: 400, errorName: 'BadRequestError' });
    }
    return input;
  }

  return app;
}

/** A chain as `GET /v1/chains` lists it: name, description, input JSON Schema, whether it streams an answer. */
function chainEntry(chain: Chain<any>): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: chain.name };
  if (chain.description !== undefined) entry.description = chain.description;
  const schema = inputJsonSchemaOf(chain);
  if (schema !== undefined) entry.inputSchema = schema;
  entry.streams = chain.steps.at(-1)?.type === 'respond';
  return entry;
}

/** `{ outputSchema }`: the JSON Schema of the chain's output, the shape `defineChain` derived; `{}` when it has none. */
function outputSchemaOf(chain: Chain<any>): { outputSchema?: Record<string, unknown> } {
  try {
    return { outputSchema: outputJsonSchemaOf(chain) };
  } catch {
    return {}; // a chain not made by defineChain, whose paths do not check
  }
}

function runInputOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('input' in body)) {
    throw new HttpError('The body must be a JSON object with an "input" field: {"input": ...}.', {
      status: 400,
      errorName: 'BadRequestError',
    });
  }
  return (body as { input: unknown }).input;
}

/** `application/json` or `application/<anything>+json`, with any parameters; read from the header alone. */
function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
}

/**
 * What Node's HTTP server would otherwise answer itself, with empty bodies, when the app gets the request: a
 * missing `Host` (HTTP/1.1; `serve()` creates the server with `requireHostHeader: false`) and an `Expect` other than
 * `100-continue` (`serve()` hands `checkExpectation` to the app).
 */
function checkProtocol(req: Request, _res: Response, next: NextFunction): void {
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    throw new HttpError('The Host header is required.', { status: 400, errorName: 'BadRequestError' });
  }
  const expect = req.headers.expect;
  if (expect !== undefined && expect.trim().toLowerCase() !== '100-continue') {
    throw new HttpError('Only "Expect: 100-continue" is supported.', {
      status: 417,
      errorName: 'ExpectationFailedError',
    });
  }
  next();
}

function isChatRequest(body: unknown): body is ChatRequest {
  if (typeof body !== 'object' || body === null) return false;
  const messages = (body as { messages?: unknown }).messages;
  return (
    Array.isArray(messages) &&
    messages.every(
      (message) =>
        typeof message === 'object' &&
        message !== null &&
        typeof message.role === 'string' &&
        Array.isArray(message.parts) &&
        message.parts.every((part: unknown) => typeof part === 'object' && part !== null),
    )
  );
}

function createLogger(options: ServerOptions): Logger | undefined {
  if (options.logger === false) return undefined;
  if (options.logger?.instance) return options.logger.instance;
  return pino({ name: 'stepwise-server', level: options.logger?.level ?? process.env.LOG_LEVEL ?? 'info' });
}

/** Request id in and out, and one structured log line per request when it ends. */
function requestContext(logger: Logger | undefined): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const record: RequestRecord = { requestId, startedAt: Date.now() };
    res.locals.stepwise = record;
    if (logger) res.once('close', () => logRequest(logger, req, res, record));
    next();
  };
}

function logRequest(logger: Logger, req: Request, res: Response, record: RequestRecord): void {
  const { requestId, startedAt, unexpected, failure, ...fields } = record;
  if (!res.writableFinished && fields.outcome !== 'error') fields.outcome = 'aborted';
  const line: Record<string, unknown> = {
    reqId: requestId,
    method: req.method,
    path: req.originalUrl.split('?')[0],
    status: res.statusCode,
    ms: Date.now() - startedAt,
    ...fields,
  };
  if (failure !== undefined) line.err = errorLogOf(failure);
  if (unexpected) {
    logger.error(line, 'request failed');
  } else if (res.statusCode >= 500 || fields.outcome === 'error') {
    logger.warn(line, 'request');
  } else {
    logger.info(line, 'request');
  }
}

/** A failure as the log gets it: the original message and cause, the ASL name, the stack of what was thrown. */
function errorLogOf(failure: Failure): Record<string, unknown> {
  const err: Record<string, unknown> = { name: failure.name, message: failure.message };
  if (failure.stepId !== undefined) err.stepId = failure.stepId;
  if (failure.error !== undefined) err.error = failure.error;
  if (failure.cause !== undefined) err.cause = failure.cause;
  const thrown = failure.thrown;
  if (thrown instanceof Error && thrown.stack !== undefined) {
    err.stack = thrown.stack;
    if (thrown.cause instanceof Error && thrown.cause.stack !== undefined) err.causeStack = thrown.cause.stack;
  }
  return err;
}

/**
 * A `JSON.stringify` replacer that leaves out Standard Schema objects (they hold functions and library internals):
 * class instances that have `~standard` (zod, arktype) and plain objects that list it (valibot). A plain JSON object
 * that only carries it hidden (zod's JSON Schema output does) stays.
 */
function withoutSchemaObjects(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('~standard' in value)) return value;
  const prototype = Object.getPrototypeOf(value);
  const plain = prototype === Object.prototype || prototype === null;
  return !plain || Object.keys(value).includes('~standard') ? undefined : value;
}
