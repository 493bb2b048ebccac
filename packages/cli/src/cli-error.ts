import { StepwiseError } from '@stepwise/core';
import { ExitCode, type ExitCodeValue } from './exit-code';

/**
 * An error the `stepwise` command reports to the user as one clear message (no stack trace), with its exit code.
 *
 * @example
 * ```ts
 * throw new CliError('No chain file given. Usage: stepwise run <chain-file>', ExitCode.usage);
 * ```
 */
export class CliError extends StepwiseError {
  override readonly name = 'CliError';
  /** The process exit code for this error. */
  readonly exitCode: ExitCodeValue;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.usage, options: { cause?: unknown } = {}) {
    super(message, options);
    this.exitCode = exitCode;
  }

  /**
   * True for a `CliError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (CliError.isInstance(error)) process.exitCode = error.exitCode;
   * ```
   */
  static override isInstance(value: unknown): value is CliError {
    return StepwiseError.isInstance(value) && value.name === 'CliError';
  }
}
