import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeAfterAnswer, hasUnreadBody } from './close-gracefully';
import { errorResponse } from './error-response';
import { recordOf } from './request-record';
import { sendJson } from './send-json';

/**
 * Answers an error thrown while handling a request: the JSON error of {@link errorResponse}, recorded for the log
 * line. When the answer has already started (a stream), it only ends it. An answer given before the upload arrived
 * (401, 404, 413, 415...) closes the connection without reading the rest.
 * @internal
 */
export function answerError(
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  options: { exposeErrorDetails: boolean; draining: boolean },
): void {
  const record = recordOf(res);
  const response = errorResponse(error, {
    expose: options.exposeErrorDetails,
    requestId: record.requestId,
    draining: options.draining,
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
  if (response.headers) for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (hasUnreadBody(req)) closeAfterAnswer(req, res);
  sendJson(res, response.status, response.body);
}
