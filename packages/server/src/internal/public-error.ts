import type { InputIssue } from '@stepwise/core';
import type { Failure } from './failure';

/** What a client sees of a failure, in JSON bodies and SSE `error` parts. @internal */
export interface PublicError {
  name: string;
  message: string;
  stepId?: string;
  /** The ASL error name. */
  error?: string;
  retryable?: boolean;
  issues?: InputIssue[];
  /** Only with `exposeErrorDetails`. */
  cause?: string;
  requestId?: string;
}

/** How the server redacts. @internal */
export interface RedactOptions {
  /** Show the original message and cause (`exposeErrorDetails`). */
  expose: boolean;
  requestId?: string;
  /** The server is shutting down (an abort is its doing). */
  draining?: boolean;
}

/** Step ids are `[A-Za-z][A-Za-z0-9_]*`; anything else is not shown. */
const STEP_ID = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
/** ASL error names (`States.TaskFailed`, `Bedrock.ThrottlingException`, `OrderLookupFailed`); anything else is not shown. */
const ERROR_NAME = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,127}$/;

/** What each ASL error name means, in words stepwise wrote. */
const ASL_MEANINGS: Record<string, string> = {
  'Bedrock.ThrottlingException': 'the model is receiving too many requests',
  'Bedrock.ServiceQuotaExceededException': 'the model quota is used up',
  'Bedrock.ModelStreamErrorException': 'the model stream broke off before the answer was complete',
  'Bedrock.ModelTimeoutException': 'the model took too long to answer',
  'Bedrock.ModelNotReadyException': 'the model is not ready',
  'Bedrock.ModelErrorException': 'the model could not process the request',
  'Bedrock.ServiceUnavailableException': 'the model service is unavailable',
  'Bedrock.InternalServerException': 'the model service failed',
  'Bedrock.ValidationException': 'the model rejected the request',
  'Bedrock.AccessDeniedException': 'the model or knowledge base denied access',
  'Bedrock.ResourceNotFoundException': 'the model or knowledge base was not found',
  'States.Timeout': 'the step timed out',
  'States.TaskFailed': 'the task failed',
  'States.Runtime': 'the chain could not run the step',
};

/** Messages of the stepwise errors that are not about one step. */
const KIND_MESSAGES: Record<string, string> = {
  ExecutionTimeoutError: 'The run timed out.',
  AbortedError: 'The run was aborted.',
  ChainDefinitionError: 'The chain is not defined correctly.',
  InternalServerError: 'Internal server error.',
};

/**
 * What a client may see of a failure: the stepwise error name, the failing step id, the ASL error name, whether it
 * is retryable, a message stepwise wrote itself (from those, never from the original message), the input issues of
 * a 422 and the request id. With `expose`, the original message and cause instead.
 * @internal
 */
export function publicErrorOf(failure: Failure, options: RedactOptions): PublicError {
  const name = ERROR_NAME.test(failure.name) ? failure.name : 'StepwiseError';
  const out: PublicError = { name, message: '' };
  const stepId = failure.stepId !== undefined && STEP_ID.test(failure.stepId) ? failure.stepId : undefined;
  const error = failure.error !== undefined && ERROR_NAME.test(failure.error) ? failure.error : undefined;
  if (stepId !== undefined) out.stepId = stepId;
  if (error !== undefined) out.error = error;
  if (failure.retryable) out.retryable = true;
  if (failure.issues !== undefined) out.issues = failure.issues;
  // a 422's message is stepwise's summary of its issues, about the client's own input and the chain's schema
  if (options.expose || name === 'InputValidationError') {
    out.message = failure.message;
    if (options.expose && failure.cause !== undefined) out.cause = failure.cause;
  } else {
    out.message = redactedMessage(name, stepId, error, options);
  }
  if (options.requestId !== undefined) out.requestId = options.requestId;
  return out;
}

/**
 * The message of a step-retry's error as a client sees it: what the ASL error name means.
 * @internal
 */
export function retryMessageOf(error: string | undefined): string {
  const meaning = meaningOf(error) ?? 'the step failed';
  return `${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}; trying again.`;
}

function redactedMessage(
  name: string,
  stepId: string | undefined,
  error: string | undefined,
  options: RedactOptions,
): string {
  if (name === 'AbortedError' && options.draining) return 'The server is shutting down.';
  if (Object.hasOwn(KIND_MESSAGES, name)) return KIND_MESSAGES[name]!;
  if (name === 'TemplateError') {
    return stepId === undefined
      ? 'A template of the chain could not be rendered.'
      : `A template of step "${stepId}" could not be rendered.`;
  }
  const where = stepId === undefined ? 'The run' : `Step "${stepId}"`;
  if (error === undefined) return `${where} failed.`;
  const meaning = meaningOf(error);
  return meaning === undefined ? `${where} failed with ${error}.` : `${where} failed with ${error}: ${meaning}.`;
}

function meaningOf(error: string | undefined): string | undefined {
  return error !== undefined && Object.hasOwn(ASL_MEANINGS, error) ? ASL_MEANINGS[error] : undefined;
}
