import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2 from 'node:http2';
import net, { type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { KnowledgeBase, ModelProvider, TaskHandler } from '@stepwise/core';
import { BedrockService, type ReplyStream } from './bedrock-service';
import type { HttpTaskRoutes } from './http-task';
import { listenOn } from './listen-on';
import { SfnService } from './sfn-service';
import type { EmulatorFaults } from './stream-cut';

/**
 * Options of {@link startEmulator}.
 *
 * @example
 * ```ts
 * const options: EmulatorOptions = {
 *   models: fakeModels({ default: 'ok' }),
 *   handlers: { lookup: async (input) => ({ found: true, input }) },
 *   retryDelayMs: 0,
 * };
 * ```
 */
export interface EmulatorOptions {
  /** Answers every model call: Bedrock's four operations and `bedrock:invokeModel` tasks (for example `fakeModels(...)`). */
  models: ModelProvider;
  /** Knowledge bases by id, behind `bedrockagentruntime:retrieve` tasks (for example `memoryKnowledgeBase(...)`). */
  knowledgeBases?: Record<string, KnowledgeBase>;
  /** Task handlers by Lambda function name, behind `lambda:invoke` tasks. */
  handlers?: Record<string, TaskHandler>;
  /**
   * Loopback URLs behind `http:invoke` tasks (HTTP Tasks), by API endpoint prefix: a compiled chain's `invoke` on
   * `openai:gpt-4o-mini` calls `https://api.openai.com/v1/chat/completions`, which
   * `{ 'https://api.openai.com/v1': server.baseUrl }` sends to `startOpenAiCompatible`'s server. An endpoint that no
   * prefix matches fails the task with `States.Runtime`: the emulator reaches no real API.
   */
  httpEndpoints?: HttpTaskRoutes['endpoints'];
  /** Headers each EventBridge connection (by ARN) adds to its HTTP Tasks' requests, as its authorization would. */
  connections?: HttpTaskRoutes['connections'];
  /** Port to listen on. Default 0: a free port. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Region in the ARNs the emulator makes. Default `us-east-1`. */
  region?: string;
  /** Account id in the ARNs the emulator makes. Default `123456789012`. */
  accountId?: string;
  /**
   * Waits this many milliseconds before every `Retry` of a state, whatever its `IntervalSeconds`, `BackoffRate` and
   * jitter say (tests). Default: the waits the definition asks for.
   */
  retryDelayMs?: number;
  /** Caps every execution, in seconds (at most 300, as Express workflows). Default 300. */
  executionTimeoutSeconds?: number;
  /**
   * Source of the `States.MathRandom` draws of executions, in [0, 1), so `split` steps pick a known variant (tests).
   * Default: the interpreter's own random draws.
   */
  random?: () => number;
  /**
   * Wait states and Retry intervals of executions move the execution's clock on at once instead of sleeping (tests).
   * The fast-forwarded time still counts toward the execution's time limit (`executionTimeoutSeconds`, at most 300 as
   * Express): a Wait past it times the execution out, as on AWS. Default `false`.
   */
  fastForwardWaits?: boolean;
  /**
   * Faults injected into Bedrock Runtime answers (tests): `cutStream` cuts ConverseStream and
   * InvokeModelWithResponseStream answers at a chosen frame or byte, by closing the connection, ending or resetting
   * the HTTP/2 stream, or corrupting a frame. See the README, "Fault injection".
   */
  faults?: EmulatorFaults;
}

/**
 * A running emulator, from {@link startEmulator}.
 *
 * @example
 * ```ts
 * const emulator: Emulator = await startEmulator({ models });
 * const sfn = new SFNClient({ endpoint: emulator.sfnEndpoint, region: 'us-east-1', disableHostPrefix: true, credentials });
 * await emulator.close();
 * ```
 */
export interface Emulator {
  /** The one loopback endpoint serving both protocols, `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Endpoint for `SFNClient` (the same as `endpoint`). Use it with `disableHostPrefix: true`. */
  sfnEndpoint: string;
  /** Endpoint for `BedrockRuntimeClient` (the same as `endpoint`; HTTP/2 cleartext). */
  bedrockEndpoint: string;
  /** The port listened on. */
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1_048_576;
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/**
 * A stream that yields `head`, then everything the socket reads, and writes to the socket. The h2 server reads a
 * net.Socket through its native handle, which would skip bytes already read; a plain Duplex it reads in JavaScript.
 */
function prefixed(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  duplex.push(head);
  socket.on('data', (data) => {
    if (!duplex.push(data)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

type Request = IncomingMessage | http2.Http2ServerRequest;
type Response = ServerResponse | http2.Http2ServerResponse;

async function readBody(req: Request): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the loopback AWS emulator: one cleartext port that speaks the Step Functions JSON 1.0 protocol over HTTP/1.1
 * (`CreateStateMachine`, `UpdateStateMachine`, `DescribeStateMachine`, `ListStateMachines`, `DeleteStateMachine`,
 * `ValidateStateMachineDefinition`, `StartSyncExecution`) and Bedrock Runtime over HTTP/2 (`InvokeModel`,
 * `InvokeModelWithResponseStream`, `Converse`, `ConverseStream`), so the unmodified AWS SDK v3 clients work against it
 * by `endpoint`. State machines run on the emulator's own ASL interpreter; each Task state is routed by its resource
 * to the fake models, the knowledge bases or the handlers given here (an `http:invoke` task to the loopback URL its
 * endpoint maps to in `httpEndpoints`), and their errors surface under their ASL names.
 *
 * @example
 * ```ts
 * import { startEmulator } from '@stepwise/emulator';
 * import { fakeModels } from '@stepwise/runtime-local';
 *
 * const emulator = await startEmulator({ models: fakeModels({ byStep: { answer: 'Hello!' } }) });
 * const runtime = createSfnRuntime({
 *   endpoint: emulator.sfnEndpoint,
 *   bedrockEndpoint: emulator.bedrockEndpoint,
 *   roleArn: 'arn:aws:iam::123456789012:role/stepwise',
 * });
 * // ... run chains ...
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const services = {
    models: options.models,
    knowledgeBases: options.knowledgeBases ?? {},
    handlers: options.handlers ?? {},
    http: {
      endpoints: options.httpEndpoints ?? {},
      ...(options.connections !== undefined ? { connections: options.connections } : {}),
    },
  };
  const sfn = new SfnService(services, {
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    retryDelayMs: options.retryDelayMs,
    executionTimeoutSeconds: options.executionTimeoutSeconds,
    random: options.random,
    fastForwardWaits: options.fastForwardWaits,
  });
  const bedrock = new BedrockService(options.models, options.faults);
  const sockets = new Set<Socket>();
  const http1 = http.createServer((req, res) => void serve(req, res));
  const h2 = http2.createServer((req, res) => void serve(req, res));
  h2.on('session', (session) => {
    session.on('error', () => session.destroy());
  });
  // One port for both protocols: a connection that opens with the HTTP/2 preface goes to the h2 server, anything
  // else to the HTTP/1.1 server (Step Functions clients speak HTTP/1.1, Bedrock Runtime clients HTTP/2 cleartext).
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (head: Buffer) => {
      socket.pause();
      if (
        head.length >= 3 &&
        H2_PREFACE.subarray(0, Math.min(head.length, H2_PREFACE.length)).equals(head.subarray(0, H2_PREFACE.length))
      ) {
        h2.emit('connection', prefixed(socket, head));
        return;
      }
      socket.unshift(head);
      http1.emit('connection', socket);
      socket.resume();
    });
  });

  async function serve(req: Request, response: Response): Promise<void> {
    const reply = response as unknown as ReplyStream & {
      readonly headersSent: boolean;
      on(event: 'close', listener: () => void): unknown;
    };
    const res = reply;
    const controller = new AbortController();
    // The client went away before the answer ended (HTTP/2 RST_STREAM, a closed socket): stop the fake. On HTTP/2,
    // `writableFinished` is already true then; `writableEnded` says whether the emulator ended the answer itself.
    res.on('close', () => {
      if (!res.writableEnded) controller.abort();
    });
    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Request entity too large' }));
        return;
      }
      const target = req.headers['x-amz-target'];
      if (req.method === 'POST' && typeof target === 'string' && target.startsWith('AWSStepFunctions.')) {
        const { status, body: answer } = await sfn.handle(target.slice('AWSStepFunctions.'.length), body);
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(answer));
        return;
      }
      if (req.method === 'POST' && BedrockService.matches(path)) {
        await bedrock.handle(path, body, res, controller.signal);
        return;
      }
      if (req.method === 'POST' && path === '/' && typeof target === 'string') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazon.coral.service#UnknownOperationException',
            message: `Unknown target ${target}`,
          }),
        );
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
      res.end(JSON.stringify({ message: `The stepwise emulator serves no ${req.method} ${path}` }));
    } catch (error) {
      if (res.headersSent || res.destroyed) {
        if (!res.destroyed) res.end();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
      res.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
    }
  }

  const { port, url: endpoint } = await listenOn(server, options);
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    sfnEndpoint: endpoint,
    bedrockEndpoint: endpoint,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        http1.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
