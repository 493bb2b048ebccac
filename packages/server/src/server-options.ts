import type { IncomingMessage } from 'node:http';
import type { Chain, ChainRuntime } from '@stepwise/core';
import type { Logger } from 'pino';
import type { ChatRequest } from './chat-request';

/**
 * Checks an API key: the key from `Authorization: Bearer <key>` or `x-api-key` (undefined when absent) and the request
 * (a `node:http` request; its `url` is the whole path, `/v1/...`, relative to where the handler is mounted).
 * Resolve `true` to let the request through.
 *
 * @example
 * ```ts
 * const verify: ApiKeyVerifier = async (key) => key !== undefined && (await keyStore.isActive(key));
 * ```
 */
export type ApiKeyVerifier = (key: string | undefined, request: IncomingMessage) => boolean | Promise<boolean>;

/**
 * API-key authentication of the `/v1` routes: a fixed list of keys (compared in constant time), or a function.
 *
 * @example
 * ```ts
 * const auth: AuthOptions = { apiKeys: [process.env.API_KEY!, process.env.API_KEY_NEXT!] };
 * ```
 */
export type AuthOptions = { apiKeys: string[] } | ApiKeyVerifier;

/**
 * Cross-origin access for browsers.
 *
 * @example
 * ```ts
 * const cors: CorsOptions = { origins: ['https://app.example.com'], maxAgeSeconds: 3600 };
 * ```
 */
export interface CorsOptions {
  /** Origins allowed, exactly as browsers send them (`https://app.example.com`), or `'*'` for any. */
  origins: string[] | '*';
  /** Send `Access-Control-Allow-Credentials: true`. Default false. */
  credentials?: boolean;
  /** Seconds browsers may cache a preflight answer. Default 600. */
  maxAgeSeconds?: number;
}

/**
 * Request limits.
 *
 * @example
 * ```ts
 * const limits: LimitsOptions = { bodyBytes: 64 * 1024, concurrency: 500, retryAfterSeconds: 2 };
 * ```
 */
export interface LimitsOptions {
  /** Largest request body, in bytes. Default 1 MiB. Larger bodies get 413. */
  bodyBytes?: number;
  /** Runs (invoke, stream, chat) at once; more get 429 with `Retry-After`. Default: no limit. */
  concurrency?: number;
  /** The `Retry-After` value of a 429, in seconds. Default 1. */
  retryAfterSeconds?: number;
}

/**
 * Logging: a pino logger or pino options, and whether inputs and answers may be logged.
 *
 * @example
 * ```ts
 * const logger: LoggerOptions = { instance: pino({ level: 'debug' }), logContent: process.env.NODE_ENV !== 'production' };
 * ```
 */
export interface LoggerOptions {
  /** The pino logger to use. Default: a new pino logger writing JSON lines to stdout at `level`. */
  instance?: Logger;
  /** Level of the default logger. Default `LOG_LEVEL` or `info`. */
  level?: string;
  /** Log chain inputs and answer texts. Default false: only names, ids, statuses, timings and token counts. */
  logContent?: boolean;
}

/**
 * Maps a `/chat` request (as the AI SDK `useChat` default transport sends it) to the chain's input.
 * Return `undefined` to answer 400.
 *
 * @example
 * ```ts
 * const supportInput: ChatInputMapper = (request) => ({
 *   ...defaultChatInput(request),
 *   customerId: (request.input as { customerId?: string } | undefined)?.customerId,
 * });
 * ```
 */
export type ChatInputMapper = (request: ChatRequest) => unknown;

/**
 * What {@link createServer} and {@link createHandler} take.
 *
 * @example
 * ```ts
 * const options: ServerOptions = { runtime: createLocalRuntime({ models }), chains: [qa], limits: { concurrency: 100 } };
 * ```
 */
export interface ServerOptions {
  /** The runtime that runs the chains (runtime-local, runtime-sfn, ...). */
  runtime: ChainRuntime;
  /** The chains served, by their `name`. */
  chains: Chain<any>[];
  /** API-key authentication of the `/v1` routes. Default: none. */
  auth?: AuthOptions;
  /** Cross-origin access. Default: no CORS headers (same origin only). */
  cors?: CorsOptions;
  /** Request limits. */
  limits?: LimitsOptions;
  /** Logging; `false` for none. The original message and cause of every failure are logged with the request id. */
  logger?: LoggerOptions | false;
  /**
   * Send the original message and cause of failures to clients (in JSON error bodies and SSE `error` parts).
   * Default false: clients get the error name, the ASL error name, the step id, a message stepwise wrote and the
   * request id, because original messages (a handler's, a knowledge base's, a Lambda's, the AWS SDK's) may hold
   * secrets, host names and paths. Turn it on for development only.
   */
  exposeErrorDetails?: boolean;
  /**
   * Stream step events as they happen (`RunOptions.live`), for a live view such as the playground's graph. Default
   * false: a runtime holds step events back until the run reaches `respond` or its end, so every runtime streams the
   * same sequence. Runtimes that cannot report steps live (Step Functions) ignore it.
   */
  liveEvents?: boolean;
  /**
   * How deep the streams report steps (`RunOptions.detail`). `'nested'` adds the steps inside `parallel` branches,
   * `map` iterations, `choose`/`split` paths and `catch` fallbacks, live (it implies `liveEvents`): each `data-step`
   * part of such a step carries `stepId`, `parent` and, inside a map, `index` in its data, and its id is
   * `<stepId>[<index>]` inside a map. The playground's graph shows them while they run. runtime-local only: Step
   * Functions learns of steps only once an execution has finished, and runtime-sfn ignores it. Default `'top'`.
   *
   * @example
   * ```ts
   * createServer({ runtime: createLocalRuntime({ models }), chains, eventDetail: 'nested' });
   * ```
   */
  eventDetail?: 'top' | 'nested';
  /**
   * How `/chat` bodies become chain input: one mapper for every chain, or one per chain name.
   * Default {@link defaultChatInput}: `{ ...body.input, question: <last user text>, history: [{ role, content }] }`.
   */
  chatInput?: ChatInputMapper | { [chainName: string]: ChatInputMapper };
  /** Serve the playground page on `GET /`. Default true (`GET /` answers 200 either way, for readiness checks). */
  playground?: boolean;
}
