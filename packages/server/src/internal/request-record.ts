import type { Response } from 'express';

/** What a request's completion log line carries besides method, path, status and time. @internal */
export interface RequestRecord {
  requestId: string;
  startedAt: number;
  chain?: string;
  runId?: string;
  /** `ok`, `error` (the run or the request failed), `aborted` (the client went away). */
  outcome?: 'ok' | 'error' | 'aborted';
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
  /** A non-stepwise error, logged with its stack (never sent). */
  unexpected?: unknown;
}

/** @internal */
export function recordOf(res: Response): RequestRecord {
  return res.locals.stepwise as RequestRecord;
}
