import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClientErrorHandler } from './create-client-error-handler';
import { continueListener } from './internal/expect-continue';
import { serverControlOf } from './internal/server-control';

/**
 * Options of {@link serve}.
 *
 * @example
 * ```ts
 * const options: ServeOptions = { port: 8080, host: '0.0.0.0', shutdownMs: 25_000 };
 * ```
 */
export interface ServeOptions {
  /** Port. Default: `AWS_LWA_PORT`, else `PORT`, else 8080. 0 picks a free port. */
  port?: number;
  /** Interface. Default: `HOST`, else `0.0.0.0`. */
  host?: string;
  /** How long open streams may run on after a shutdown starts, before they are aborted. Default 10,000 ms. */
  shutdownMs?: number;
  /**
   * Signals that start a graceful shutdown; the process exits 0 once it is done. A second signal during the
   * shutdown aborts the open runs at once (each stream ends with an `error` part and `[DONE]`). Default
   * `['SIGTERM', 'SIGINT']`; `[]` installs no handler.
   */
  signals?: NodeJS.Signals[];
  /** Length of the queue of pending connections. Default 511 (Node's); raise it for bursts of connections. */
  backlog?: number;
}

/**
 * A listening server, returned by {@link serve}.
 *
 * @example
 * ```ts
 * const handle: ServerHandle = await serve(app, { port: 0 });
 * await fetch(`${handle.url}/healthz`);
 * await handle.close();
 * ```
 */
export interface ServerHandle {
  /** The bound port (useful with `port: 0`). */
  port: number;
  /** The bound interface. */
  host: string;
  /** `http://<host>:<port>` (loopback when bound to every interface). */
  url: string;
  /** The Node HTTP server. */
  server: Server;
  /**
   * Shuts down gracefully: stops accepting connections, answers new requests on open connections with 503,
   * lets open runs finish until `shutdownMs`, then aborts them (streams end with an `error` part) and closes every
   * connection. Resolves when the server is closed; calling it again returns the same promise.
   */
  close(): Promise<void>;
  /** Aborts the open runs now, ending a shutdown's drain early (what a second SIGTERM does). Starts one if needed. */
  abortRuns(): Promise<void>;
}

/** Time left to aborted streams to write their last part before connections are cut. */
const ABORT_GRACE_MS = 1_000;

/**
 * Listens with an app made by `createServer` (or any request listener) and shuts down gracefully on SIGTERM and
 * SIGINT, as Lambda Web Adapter and container platforms expect. What Node's HTTP parser rejects gets a JSON error
 * ({@link createClientErrorHandler}), as do a missing `Host` and an unknown `Expect`; `Expect: 100-continue` is
 * answered only when the app is about to read the body.
 *
 * @example
 * ```ts
 * const handle = await serve(createServer({ runtime, chains: [qa] }), { port: 0, host: '127.0.0.1' });
 * console.log(`listening on ${handle.url}`);
 * await handle.close();
 * ```
 */
export async function serve(app: RequestListener, options: ServeOptions = {}): Promise<ServerHandle> {
  const port = options.port ?? portFromEnv();
  const host = options.host ?? process.env.HOST ?? '0.0.0.0';
  const shutdownMs = options.shutdownMs ?? 10_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const control = serverControlOf(app);

  const server = createHttpServer({ requireHostHeader: false }, app);
  server.on('clientError', createClientErrorHandler(app));
  server.on('checkExpectation', app);
  server.on('checkContinue', continueListener(app));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: options.backlog ?? 511 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const loopback = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const urlHost = loopback.includes(':') ? `[${loopback}]` : loopback;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= shutdown();
    return closing;
  };
  let hurry: () => void = () => {};
  const hurried = new Promise<false>((resolve) => {
    hurry = () => resolve(false);
  });
  const abortRuns = (): Promise<void> => {
    hurry();
    return close();
  };

  async function shutdown(): Promise<void> {
    if (control) control.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    try {
      const runsDone = control ? control.idle() : closed;
      if (!(await Promise.race([within(runsDone, shutdownMs), hurried]))) {
        control?.abortAll('The server is shutting down.');
        await within(control ? control.idle() : closed, ABORT_GRACE_MS);
      }
      if (!(await within(closed, ABORT_GRACE_MS))) server.closeAllConnections();
      await closed;
    } finally {
      clearInterval(idleSweep);
      for (const signal of signals) process.off(signal, onSignal);
    }
  }

  /** The first signal starts the shutdown, a second one aborts the open runs; the process exits when it is done. */
  function onSignal(): void {
    const started = closing !== undefined;
    if (started) hurry();
    const done = close();
    if (!started) {
      void done.then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  }
  for (const signal of signals) process.on(signal, onSignal);

  return {
    port: address.port,
    host: address.address,
    url: `http://${urlHost}:${address.port}`,
    server,
    close,
    abortRuns,
  };
}

function portFromEnv(): number {
  const value = process.env.AWS_LWA_PORT ?? process.env.PORT;
  const port = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : 8080;
}

/** True when the promise settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
