import { HttpError } from '../client/http-error';
import { type Failure, RunFailure } from './failure';
import { type PublicError, publicErrorOf, type RedactOptions } from './public-error';

/** A JSON error answer: status, body, extra headers, and what goes to the log. @internal */
export interface ErrorResponse {
  status: number;
  body: { error: PublicError };
  headers?: Record<string, string>;
  /** The failure of a run, logged in full (original message, cause, stack). */
  failure?: Failure;
  /** True when the error is not one the server expected (logged with its stack). */
  unexpected?: boolean;
}

/**
 * The JSON answer for an error that reached the error handler: the server's own `HttpError`s as they are, failed
 * runs redacted ({@link publicErrorOf}), other errors that carry a 4xx `status` (a body parser's, an Express
 * app's around the handler) as that status, anything else 500.
 * @internal
 */
export function errorResponse(error: unknown, options: RedactOptions): ErrorResponse {
  const requestId = options.requestId === undefined ? {} : { requestId: options.requestId };
  if (error instanceof RunFailure) {
    const failure = error.failure;
    const body = publicErrorOf(failure, options);
    const response: ErrorResponse = { status: statusOf(failure.name), body: { error: body }, failure };
    if (body.name === 'AbortedError' && options.draining) response.headers = { 'retry-after': '1' };
    if (failure.name === 'InternalServerError') response.unexpected = true;
    return response;
  }
  if (HttpError.isInstance(error)) {
    // raised by the server itself, with messages it wrote
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
    return { status: error.status, body: { error: { ...error.toJSON(), ...requestId } }, headers };
  }
  // client errors with a status, raised by code around the handler (Express, a body parser)
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const name = status === 400 ? 'BadRequestError' : 'HttpError';
    return { status, body: { error: { name, message: 'The request is malformed.', ...requestId } } };
  }
  const failure: Failure = {
    name: 'InternalServerError',
    message: error instanceof Error ? error.message : String(error),
    thrown: error,
  };
  return {
    status: 500,
    body: { error: publicErrorOf(failure, options) },
    failure,
    unexpected: true,
  };
}

/** The status of a failed run, by the stepwise error's name. */
function statusOf(name: string): number {
  switch (name) {
    case 'InputValidationError':
      return 422;
    case 'StepFailedError':
    case 'ModelError':
      return 502;
    case 'ExecutionTimeoutError':
      return 504;
    case 'AbortedError':
      return 503;
    default:
      return 500;
  }
}
