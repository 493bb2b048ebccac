import type { Chain, ChainRuntime } from '@stepwise/core';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { ChatRequest } from './chat-request';

/**
 * Checks an API key: the key from `Authorization: Bearer <key>` or `x-api-key` (undefined when absent) and the request.
 * Resolve `true` to let the request through.
 */
export type ApiKeyVerifier = (key: string | undefined, request: Request) => boolean | Promise<boolean>;

/** API-key authentication of the `/v1` routes: a fixed list of keys (compared in constant time), or a function. */
export type AuthOptions = { apiKeys: string[] } | ApiKeyVerifier;

/** Cross-origin access for browsers. */
export interface CorsOptions {
  /** Origins allowed, exactly as browsers send them (`https://app.example.com`), or `'*'` for any. */
  origins: string[] | '*';
  /** Send `Access-Control-Allow-Credentials: true`. Default false. */
  credentials?: boolean;
  /** Seconds browsers may cache a preflight answer. Default 600. */
  maxAgeSeconds?: number;
}

/** Request limits. */
export interface LimitsOptions {
  /** Largest request body, in bytes. Default 1 MiB. Larger bodies get 413. */
  bodyBytes?: number;
  /** Runs (invoke, stream, chat) at once; more get 429 with `Retry-After`. Default: no limit. */
  concurrency?: number;
  /** The `Retry-After` value of a 429, in seconds. Default 1. */
  retryAfterSeconds?: number;
}

/** Logging: a pino logger or pino options, and whether inputs and answers may be logged. */
export interface LoggerOptions {
  /** The pino logger to use. Default: a new pino logger writing JSON lines to stdout at `level`. */
  instance?: Logger;
  /** Level of the default logger. Default `LOG_LEVEL` or `info`. */
  level?: string;
  /** Log chain inputs and answer texts. Default false: only names, ids, statuses, timings and token counts. */
  logContent?: boolean;
}

/** Maps a `/chat` request (as the AI SDK `useChat` default transport sends it) to the chain's input. */
export type ChatInputMapper = (request: ChatRequest) => unknown;

/** What {@link createServer} takes. */
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
  /** Logging; `false` for none. */
  logger?: LoggerOptions | false;
  /**
   * How `/chat` bodies become chain input: one mapper for every chain, or one per chain name.
   * Default {@link defaultChatInput}: `{ ...body.input, question: <last user text>, history: [{ role, content }] }`.
   */
  chatInput?: ChatInputMapper | { [chainName: string]: ChatInputMapper };
  /** Serve the playground page on `GET /`. Default true (`GET /` answers 200 either way, for readiness checks). */
  playground?: boolean;
}
