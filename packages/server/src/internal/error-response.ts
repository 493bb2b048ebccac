import {
  AbortedError,
  ExecutionTimeoutError,
  InputValidationError,
  ModelError,
  StepFailedError,
  StepwiseError,
} from '@stepwise/core';
import { HttpError } from '../client/http-error';

/** A JSON error answer: status, body, extra headers. @internal */
export interface ErrorResponse {
  status: number;
  body: { error: { name: string; message: string; [key: string]: unknown } };
  headers?: Record<string, string>;
  /** True when the error is not one the server expected (logged with its stack). */
  unexpected?: boolean;
}

/**
 * Maps any error to the JSON answer a client may see: HTTP errors by status, stepwise errors by kind,
 * anything else to a generic 500 (no message, no stack).
 * @internal
 */
export function errorResponse(error: unknown): ErrorResponse {
  if (HttpError.isInstance(error)) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
    return { status: error.status, body: { error: error.toJSON() }, headers };
  }
  if (StepwiseError.isInstance(error)) {
    const body = { error: { ...error.toJSON() } as ErrorResponse['body']['error'] };
    if (error.retryable) body.error.retryable = true;
    return { status: statusOf(error), body };
  }
  // client errors raised by Express itself (a path parameter that is not valid percent-encoding, ...)
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return json(status, status === 400 ? 'BadRequestError' : 'HttpError', 'The request is malformed.');
  }
  return { ...json(500, 'InternalServerError', 'Internal server error.'), unexpected: true };
}

function statusOf(error: StepwiseError): number {
  if (InputValidationError.isInstance(error)) return 422;
  if (StepFailedError.isInstance(error) || ModelError.isInstance(error)) return 502;
  if (ExecutionTimeoutError.isInstance(error)) return 504;
  if (AbortedError.isInstance(error)) return 503;
  return 500;
}

function json(status: number, name: string, message: string): ErrorResponse {
  return { status, body: { error: { name, message } } };
}

/**
 * The error a stream reports once it has started: stepwise errors as they are (their messages are meant for
 * clients), anything else as a generic internal error.
 * @internal
 */
export function safeStreamError(error: unknown): { name: string; message: string; stepId?: string } {
  if (StepwiseError.isInstance(error)) return error.toJSON();
  return { name: 'InternalServerError', message: 'Internal server error.' };
}
