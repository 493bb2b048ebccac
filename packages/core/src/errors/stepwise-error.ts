const MARKER = Symbol.for('stepwise.error');

/**
 * Options shared by every {@link StepwiseError}.
 *
 * @example
 * ```ts
 * new TemplateError('Missing path', { stepId: 'answer', cause: error } satisfies StepwiseErrorOptions);
 * ```
 */
export interface StepwiseErrorOptions {
  /** The underlying error, kept for logs; never sent to HTTP clients. */
  cause?: unknown;
  /** Whether trying the same thing again may succeed (throttling, timeouts). */
  retryable?: boolean;
  /** The step that was running, when there was one. */
  stepId?: string;
}

/**
 * Base class of every error stepwise raises. Each subclass has a stable `name`, so errors can be told apart
 * across package copies and process boundaries; use the static `isInstance` rather than `instanceof`.
 *
 * @example
 * ```ts
 * try {
 *   await runtime.run(chain, input);
 * } catch (error) {
 *   if (StepwiseError.isInstance(error)) console.error(error.name, error.message, error.stepId);
 * }
 * ```
 */
export class StepwiseError extends Error {
  readonly [MARKER] = true;
  override readonly name: string = 'StepwiseError';
  readonly retryable: boolean;
  readonly stepId: string | undefined;

  constructor(message: string, options: StepwiseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.stepId = options.stepId;
  }

  /**
   * True for any stepwise error, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (StepwiseError.isInstance(error)) reply(error.name);
   * ```
   */
  static isInstance(value: unknown): value is StepwiseError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /**
   * A plain object safe to send to clients: name, message and step id, never the cause or a stack.
   *
   * @example
   * ```ts
   * res.status(500).json({ error: error.toJSON() });
   * ```
   */
  toJSON(): { name: string; message: string; stepId?: string } {
    return this.stepId === undefined
      ? { name: this.name, message: this.message }
      : { name: this.name, message: this.message, stepId: this.stepId };
  }
}

/**
 * Builds the `isInstance` check for a subclass from its stable name.
 * @internal
 *
 * @example
 * ```ts
 * static isInstance(value: unknown): value is TemplateError {
 *   return isNamedStepwiseError<TemplateError>(value, 'TemplateError');
 * }
 * ```
 */
export function isNamedStepwiseError<T extends StepwiseError>(value: unknown, name: string): value is T {
  return StepwiseError.isInstance(value) && value.name === name;
}
