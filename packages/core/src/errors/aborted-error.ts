import { isNamedStepwiseError, StepwiseError, type StepwiseErrorOptions } from './stepwise-error';

/**
 * The caller aborted the run through its `AbortSignal` (for example, the HTTP client disconnected).
 *
 * @example
 * ```ts
 * controller.abort(); await expect(promise).rejects.toBeInstanceOf(AbortedError);
 * ```
 */
export class AbortedError extends StepwiseError {
  override readonly name = 'AbortedError';

  constructor(message: string, options: StepwiseErrorOptions = {}) {
    super(message, options);
  }

  /**
   * True for a `AbortedError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (AbortedError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(value: unknown): value is AbortedError {
    return isNamedStepwiseError<AbortedError>(value, 'AbortedError');
  }
}
