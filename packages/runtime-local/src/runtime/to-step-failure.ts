import { ChainDefinitionError, ModelError, StepFailedError, TemplateError } from '@stepwise/core';

/**
 * Names a step's failure with its ASL error name (decision 0001): a `ModelError` by its `error`, a template problem
 * `States.Runtime`, a nested step failure as is, anything else by its `name` (as Lambda reports `errorType`).
 * @internal
 */
export function toStepFailure(error: unknown, stepId: string): StepFailedError {
  if (StepFailedError.isInstance(error)) return error;
  if (ModelError.isInstance(error)) {
    return new StepFailedError(`Step "${stepId}" failed with ${error.error}: ${error.message}`, {
      error: error.error,
      errorCause: error.message,
      stepId,
      cause: error,
      retryable: error.retryable,
    });
  }
  if (TemplateError.isInstance(error) || ChainDefinitionError.isInstance(error)) {
    return new StepFailedError(`Step "${stepId}" failed: ${error.message}`, {
      error: 'States.Runtime',
      errorCause: error.message,
      stepId,
      cause: error,
    });
  }
  const name = error instanceof Error && error.name ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new StepFailedError(`Step "${stepId}" failed with ${name}: ${message}`, {
    error: name,
    errorCause: message,
    stepId,
    cause: error,
  });
}
