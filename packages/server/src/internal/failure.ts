import { type InputIssue, InputValidationError, StepFailedError, StepwiseError } from '@stepwise/core';

/**
 * A failed run (or a failed step, for retries) as the server knows it, before it decides what a client may see:
 * everything here goes to the log; {@link publicErrorOf} picks what goes out.
 * @internal
 */
export interface Failure {
  /** The stepwise error name (`StepFailedError`, `ModelError`, ...), `InternalServerError` for anything else. */
  name: string;
  /** The original message: a handler's, a knowledge base's, a Lambda's, the AWS SDK's... Never sent by default. */
  message: string;
  /** The failing step. */
  stepId?: string;
  /** The ASL error name (`Bedrock.ThrottlingException`, `States.Timeout`, a handler's error name). */
  error?: string;
  retryable?: boolean;
  /** The original cause: the ASL `Cause`, or the underlying error's `name: message`. Never sent by default. */
  cause?: string;
  /** Input issues of an `InputValidationError`: about the client's own input, always sent. */
  issues?: InputIssue[];
  /** The thrown value, logged with its stack. */
  thrown?: unknown;
}

/**
 * Thrown by the run handlers when a run fails before its answer started: the error handler answers it with a
 * redacted JSON error.
 * @internal
 */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** The failure for what a runtime threw (`run()` rejecting, `stream()` throwing). @internal */
export function failureOf(error: unknown): Failure {
  if (!StepwiseError.isInstance(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { name: 'InternalServerError', message, thrown: error };
  }
  const failure: Failure = { name: error.name, message: error.message, thrown: error };
  if (error.stepId !== undefined) failure.stepId = error.stepId;
  const asl = (error as { error?: unknown }).error;
  if (typeof asl === 'string') failure.error = asl;
  if (error.retryable) failure.retryable = true;
  const cause = StepFailedError.isInstance(error) ? error.errorCause : undefined;
  if (cause !== undefined) failure.cause = cause;
  else if (error.cause !== undefined) failure.cause = causeText(error.cause);
  if (InputValidationError.isInstance(error)) failure.issues = error.issues;
  return failure;
}

/**
 * The failure for a runtime's `error` event (or a `step-retry`'s error). The event's `error` object may carry the
 * ASL name as `error` (as `StepFailedError.toJSON()` does) and `retryable`.
 * @internal
 */
export function failureOfEvent(payload: { name: string; message: string; stepId?: string }): Failure {
  const failure: Failure = { name: payload.name, message: payload.message };
  if (payload.stepId !== undefined) failure.stepId = payload.stepId;
  const extra = payload as { error?: unknown; retryable?: unknown };
  if (typeof extra.error === 'string') failure.error = extra.error;
  if (extra.retryable === true) failure.retryable = true;
  return failure;
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause) ?? String(cause);
  } catch {
    return String(cause);
  }
}
