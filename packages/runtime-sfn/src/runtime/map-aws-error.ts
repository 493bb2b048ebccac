import { AbortedError, ModelError, StepFailedError, StepwiseError } from '@stepwise/core';

interface AwsError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const RETRYABLE = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'InternalServerException',
  'InternalFailure',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'ModelStreamErrorException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
]);

/** Whether an error is the abort of a request. @internal */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const name = (error as AwsError | null)?.name;
  return name === 'AbortError' || AbortedError.isInstance(error);
}

/**
 * The stepwise error for a failure of a Step Functions call (StartSyncExecution, the control plane): aborts become
 * `AbortedError`, anything else a `StepwiseError` naming the operation, retryable for throttling, 5xx and network
 * errors.
 * @internal
 */
export function mapSfnError(error: unknown, operation: string, signal?: AbortSignal): StepwiseError {
  if (StepwiseError.isInstance(error)) return error;
  if (isAbort(error, signal)) return new AbortedError('The run was aborted.', { cause: error });
  const aws = (error ?? {}) as AwsError;
  const name = aws.name ?? 'Error';
  const status = aws.$metadata?.httpStatusCode;
  const retryable = RETRYABLE.has(name) || aws.$fault === 'server' || (status !== undefined && status >= 500);
  return new StepwiseError(`Step Functions ${operation} failed: ${name}: ${aws.message ?? String(error)}`, {
    cause: error,
    retryable,
  });
}

/**
 * The stepwise error for a failed Bedrock call of a `respond` step: a `StepFailedError` with the ASL name
 * `Bedrock.<Exception>` and the step id (its `cause` a `ModelError`), or `AbortedError`.
 * @internal
 */
export function mapBedrockError(error: unknown, stepId: string, signal?: AbortSignal): StepwiseError {
  if (isAbort(error, signal)) return new AbortedError('The run was aborted.', { cause: error, stepId });
  if (StepwiseError.isInstance(error)) return error;
  const aws = (error ?? {}) as AwsError;
  const name = aws.name && /Exception$/.test(aws.name) ? aws.name : 'InternalServerException';
  const message = aws.message ?? String(error);
  const modelError = new ModelError(message, {
    error: `Bedrock.${name}`,
    cause: error,
    ...(aws.$metadata?.httpStatusCode !== undefined ? { statusCode: aws.$metadata.httpStatusCode } : {}),
  });
  return new StepFailedError(`Step "${stepId}" failed: Bedrock.${name}: ${message}`, {
    error: `Bedrock.${name}`,
    errorCause: message,
    stepId,
    cause: modelError,
    retryable: modelError.retryable,
  });
}
