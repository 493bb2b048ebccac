import { isNamedStepwiseError, StepwiseError, type StepwiseErrorOptions } from './stepwise-error';

/**
 * Options of a {@link StepFailedError}.
 *
 * @example
 * ```ts
 * const options: StepFailedErrorOptions = { error: 'States.Timeout', stepId: 'docs' };
 * throw new StepFailedError('Step "docs" timed out', options);
 * ```
 */
export interface StepFailedErrorOptions extends StepwiseErrorOptions {
  /** The ASL error name: `States.TaskFailed`, `States.Timeout`, `Bedrock.ThrottlingException`, a handler's error name... */
  error: string;
  /** The ASL `Cause`: details of the failure, as Step Functions would report them. */
  errorCause?: string;
}

/**
 * A step failed and no `catch` policy handled it. `error` is the ASL error name, the same on both runtimes,
 * so policies and callers match on one vocabulary.
 *
 * @example
 * ```ts
 * try {
 *   await runtime.run(chain, input);
 * } catch (error) {
 *   if (StepFailedError.isInstance(error) && error.error === 'Bedrock.ThrottlingException') retryLater();
 * }
 * ```
 */
export class StepFailedError extends StepwiseError {
  override readonly name = 'StepFailedError';
  /** The ASL error name. */
  readonly error: string;
  /** The ASL cause text, if any. */
  readonly errorCause: string | undefined;

  constructor(message: string, options: StepFailedErrorOptions) {
    super(message, options);
    this.error = options.error;
    this.errorCause = options.errorCause;
  }

  /**
   * True for a `StepFailedError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (StepFailedError.isInstance(error)) console.error(error.stepId, error.error);
   * ```
   */
  static override isInstance(value: unknown): value is StepFailedError {
    return isNamedStepwiseError<StepFailedError>(value, 'StepFailedError');
  }

  override toJSON(): { name: string; message: string; stepId?: string; error: string } {
    return { ...super.toJSON(), error: this.error };
  }
}
