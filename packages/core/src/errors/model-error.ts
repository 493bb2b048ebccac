import { isNamedStepwiseError, StepwiseError, type StepwiseErrorOptions } from './stepwise-error';

/**
 * Options of a {@link ModelError}.
 *
 * @example
 * ```ts
 * const options: ModelErrorOptions = { error: 'Bedrock.ThrottlingException', statusCode: 429 };
 * throw new ModelError('Too many requests', options);
 * ```
 */
export interface ModelErrorOptions extends StepwiseErrorOptions {
  /**
   * The ASL error name of the failure, `Bedrock.<ExceptionName>`: `Bedrock.ThrottlingException`,
   * `Bedrock.ModelTimeoutException`, `Bedrock.ModelStreamErrorException`, ...; for other providers one of
   * `PROVIDER_ERRORS` (`Provider.RateLimited`, ...).
   */
  error: string;
  /** The HTTP status Bedrock answers with for this error, when known. */
  statusCode?: number;
}

/** Model error names that are worth retrying: Bedrock's, and other providers' (`Provider.*`). */
const RETRYABLE = new Set([
  'Bedrock.ThrottlingException',
  'Bedrock.ModelNotReadyException',
  'Bedrock.ModelTimeoutException',
  'Bedrock.ModelStreamErrorException',
  'Bedrock.InternalServerException',
  'Bedrock.ServiceUnavailableException',
  // Other providers (model/provider-errors.ts).
  'Provider.RateLimited',
  'Provider.ServerError',
  'Provider.ConnectionError',
  'Provider.StreamCut',
]);

/**
 * A model provider failed: throttled, timed out, refused the request or died mid-stream. Model providers
 * throw it (fake and real alike); runtimes turn it into a {@link StepFailedError} with the same `error` name.
 *
 * @example
 * ```ts
 * throw new ModelError('Too many requests', { error: 'Bedrock.ThrottlingException', statusCode: 429 });
 * ```
 */
export class ModelError extends StepwiseError {
  override readonly name = 'ModelError';
  /** The ASL error name, `Bedrock.<ExceptionName>`. */
  readonly error: string;
  /** The HTTP status, when known. */
  readonly statusCode: number | undefined;

  constructor(message: string, options: ModelErrorOptions) {
    super(message, { ...options, retryable: options.retryable ?? RETRYABLE.has(options.error) });
    this.error = options.error;
    this.statusCode = options.statusCode;
  }

  /**
   * True for a `ModelError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (ModelError.isInstance(error) && error.retryable) await sleep(1000);
   * ```
   */
  static override isInstance(value: unknown): value is ModelError {
    return isNamedStepwiseError<ModelError>(value, 'ModelError');
  }

  /**
   * Whether a model error of this ASL name is worth retrying (throttling, timeouts, a failed stream, 5xx), the rule
   * both runtimes apply to the `retryable` flag of a step failure.
   *
   * @example
   * ```ts
   * ModelError.isRetryableName('Bedrock.ThrottlingException'); // true
   * ModelError.isRetryableName('Bedrock.ValidationException'); // false
   * ```
   */
  static isRetryableName(error: string): boolean {
    return RETRYABLE.has(error);
  }

  override toJSON(): { name: string; message: string; stepId?: string; error: string } {
    return { ...super.toJSON(), error: this.error };
  }
}
