import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Failure } from './failure';
import { attachRecord, type RequestRecord } from './request-record';

/** Request ids taken from `x-request-id`; anything else is replaced by a new UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Starts a request's record: the request id in (`x-request-id`, when it is safe to echo) and out, and one structured
 * log line when the response closes.
 * @internal
 */
export function startRequest(req: IncomingMessage, res: ServerResponse, logger: Logger | undefined): RequestRecord {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  const record: RequestRecord = { requestId, startedAt: Date.now() };
  attachRecord(res, record);
  if (logger) res.once('close', () => logRequest(logger, req, res, record));
  return record;
}

function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, record: RequestRecord): void {
  const { requestId, startedAt, unexpected, failure, ...fields } = record;
  if (!res.writableFinished && fields.outcome !== 'error') fields.outcome = 'aborted';
  // mounted in an Express app, `originalUrl` is the path before any mount point was taken off
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const line: Record<string, unknown> = {
    reqId: requestId,
    method: req.method,
    path: url.split('?')[0],
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
