import { isNamedStepwiseError, StepwiseError, type StepwiseErrorOptions } from './stepwise-error';

/**
 * The whole execution ran out of time (Step Functions status `TIMED_OUT`, or the local runtime's run deadline).
 *
 * @example
 * ```ts
 * if (ExecutionTimeoutError.isInstance(error)) res.status(504).end();
 * ```
 */
export class ExecutionTimeoutError extends StepwiseError {
  override readonly name = 'ExecutionTimeoutError';

  constructor(message: string, options: StepwiseErrorOptions = {}) {
    super(message, options);
  }

  /**
   * True for a `ExecutionTimeoutError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (ExecutionTimeoutError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(value: unknown): value is ExecutionTimeoutError {
    return isNamedStepwiseError<ExecutionTimeoutError>(value, 'ExecutionTimeoutError');
  }
}
