import express, { type Express } from 'express';
import { createHandler } from './create-handler';
import { attachServerControl, serverControlOf } from './internal/server-control';
import type { ServerOptions } from './server-options';

/**
 * Creates the Express 5 app that serves chains over HTTP: `GET /healthz`, `GET /` (readiness + playground),
 * `GET /v1/chains`, `GET /v1/chains/:name`, and `POST /v1/chains/:name/invoke | stream | chat`. Streams speak the
 * AI SDK UI message stream protocol v1 over SSE. Listen with {@link serve} (graceful shutdown) or any Node HTTP server.
 *
 * The app delegates every request to {@link createHandler}'s `node:http` handler, so the two answer alike; it
 * answers unknown routes with the JSON 404 itself. Mount it in a bigger Express app (`outer.use('/ai', app)`), or
 * use `createHandler` from `@stepwise/server/handler` where Express is not wanted (a Lambda: no Express to load).
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
  const handler = createHandler(options);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // without `next`: the handler answers every request, unknown routes with the JSON 404
  app.use((req, res) => handler(req, res));
  attachServerControl(app, serverControlOf(handler)!);
  return app;
}
