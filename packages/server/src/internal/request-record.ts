import type { ServerResponse } from 'node:http';
import type { Failure } from './failure';

/** What a request's completion log line carries besides method, path, status and time. @internal */
export interface RequestRecord {
  requestId: string;
  startedAt: number;
  chain?: string;
  runId?: string;
  /** `ok`, `error` (the run or the request failed), `aborted` (the client went away). */
  outcome?: 'ok' | 'error' | 'aborted';
  /** The error name the client saw. */
  errorName?: string;
  stepId?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Milliseconds from the request to the first byte of the body. */
  ttfbMs?: number;
  /** Only with `logContent`. */
  input?: unknown;
  /** Only with `logContent`. */
  text?: string;
  /** The failure in full (original message, cause, stack): logged, never sent unless `exposeErrorDetails`. */
  failure?: Failure;
  /** Retries of steps, with their original messages (the first few). */
  retries?: Array<{ stepId: string; attempt: number; error: string; message: string }>;
  /** A non-stepwise error, logged at error level with its stack (never sent). */
  unexpected?: boolean;
}

/**
 * Where a response carries its record: a property of its own under a symbol of this module (as Express keeps
 * `res.locals`). A `WeakMap` keyed by the response did the same at a cost per request: its table grows and shrinks
 * with the open requests, and the garbage collector treats each entry as an ephemeron.
 */
const RECORD = Symbol('stepwise.request-record');

type WithRecord = ServerResponse & { [RECORD]?: RequestRecord };

/** Ties the record to the response it describes. @internal */
export function attachRecord(res: ServerResponse, record: RequestRecord): void {
  (res as WithRecord)[RECORD] = record;
}

/** The record of a response the handler answers (made when the request came in). @internal */
export function recordOf(res: ServerResponse): RequestRecord {
  return (res as WithRecord)[RECORD]!;
}
