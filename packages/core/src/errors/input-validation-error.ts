import { isNamedStepwiseError, StepwiseError, type StepwiseErrorOptions } from './stepwise-error';

/**
 * One problem found in a chain's input, as Standard Schema reports it.
 *
 * @example
 * ```ts
 * const issue: InputIssue = { message: 'Expected string', path: ['question'] };
 * ```
 */
export interface InputIssue {
  /** What is wrong, in words. */
  message: string;
  /** Where it is: keys and indices from the input's root. */
  path: Array<string | number>;
}

/**
 * The input does not satisfy the chain's `input` schema. `issues` lists every problem with its path,
 * and is safe to return to a client (the server answers 422 with it).
 *
 * @example
 * ```ts
 * try {
 *   await runtime.run(chain, { question: 42 });
 * } catch (error) {
 *   if (InputValidationError.isInstance(error)) console.log(error.issues); // [{ message: 'Expected string', path: ['question'] }]
 * }
 * ```
 */
export class InputValidationError extends StepwiseError {
  override readonly name = 'InputValidationError';
  readonly issues: InputIssue[];

  constructor(message: string, issues: InputIssue[], options: StepwiseErrorOptions = {}) {
    super(message, options);
    this.issues = issues;
  }

  /**
   * True for an `InputValidationError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (InputValidationError.isInstance(error)) res.status(422).json({ issues: error.issues });
   * ```
   */
  static override isInstance(value: unknown): value is InputValidationError {
    return isNamedStepwiseError<InputValidationError>(value, 'InputValidationError');
  }

  override toJSON(): { name: string; message: string; stepId?: string; issues: InputIssue[] } {
    return { ...super.toJSON(), issues: this.issues };
  }
}
