import { isNamedStepwiseError, StepwiseError, type StepwiseErrorOptions } from './stepwise-error';

/**
 * A chain definition is wrong: a duplicate or malformed step id, a path out of scope, a misplaced `respond`. Raised by `defineChain`, never at run time.
 *
 * @example
 * ```ts
 * expect(() => defineChain({ name: 'x', steps: [respond('a', { model }), invoke('b', { model, prompt: 'hi' })] })).toThrow(ChainDefinitionError);
 * ```
 */
export class ChainDefinitionError extends StepwiseError {
  override readonly name = 'ChainDefinitionError';

  constructor(message: string, options: StepwiseErrorOptions = {}) {
    super(message, options);
  }

  /**
   * True for a `ChainDefinitionError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (ChainDefinitionError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(value: unknown): value is ChainDefinitionError {
    return isNamedStepwiseError<ChainDefinitionError>(value, 'ChainDefinitionError');
  }
}
