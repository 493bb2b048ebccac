import { isNamedStepwiseError, StepwiseError, type StepwiseErrorOptions } from './stepwise-error';

/**
 * A template could not be rendered: a path that does not exist, or a bare placeholder that resolved to an object, array or null.
 *
 * @example
 * ```ts
 * renderTemplate(parseTemplate('{{input.missing}}'), { input: {} }); // throws TemplateError
 * ```
 */
export class TemplateError extends StepwiseError {
  override readonly name = 'TemplateError';

  constructor(message: string, options: StepwiseErrorOptions = {}) {
    super(message, options);
  }

  /**
   * True for a `TemplateError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (TemplateError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(value: unknown): value is TemplateError {
    return isNamedStepwiseError<TemplateError>(value, 'TemplateError');
  }
}
