import type { Response } from 'express';
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

/** @internal */
export function recordOf(res: Response): RequestRecord {
  return res.locals.stepwise as RequestRecord;
}
