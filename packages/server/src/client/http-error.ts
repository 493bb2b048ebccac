import { StepwiseError, type StepwiseErrorOptions } from '@stepwise/core';

/**
 * Options of an {@link HttpError}.
 *
 * @example
 * ```ts
 * new HttpError('Too many runs at once.', { status: 429, errorName: 'TooManyRequestsError', retryAfterSeconds: 1 });
 * ```
 */
export interface HttpErrorOptions extends StepwiseErrorOptions {
  /** The HTTP status code. */
  status: number;
  /** The error name the server sent in `{ error: { name } }` (`NotFoundError`, `TooManyRequestsError`, ...). */
  errorName: string;
  /** Seconds to wait before trying again, from `Retry-After` (429, 503). */
  retryAfterSeconds?: number;
}

/**
 * An HTTP request to a stepwise server failed with a status that has no more specific stepwise error
 * (400, 401, 404, 413, 415, 429, 500, 503...). The server raises it to answer with that status; the client
 * throws it when it receives one. `errorName` is the name from the JSON body, `status` the HTTP status.
 *
 * @example
 * ```ts
 * try {
 *   await invokeChain('http://localhost:8080/v1/chains/qa', { question: 'Hi' });
 * } catch (error) {
 *   if (HttpError.isInstance(error) && error.status === 429) await sleep((error.retryAfterSeconds ?? 1) * 1000);
 * }
 * ```
 */
export class HttpError extends StepwiseError {
  override readonly name = 'HttpError';
  /** The HTTP status code. */
  readonly status: number;
  /** The error name on the wire (`NotFoundError`, `UnauthorizedError`, ...). */
  readonly errorName: string;
  /** Seconds to wait before trying again, when the server said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: HttpErrorOptions) {
    super(message, {
      ...options,
      retryable: options.retryable ?? (options.status === 429 || options.status === 503 || options.status === 504),
    });
    this.status = options.status;
    this.errorName = options.errorName;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /**
   * True for an `HttpError`, even one created by another copy of the package.
   *
   * @example
   * ```ts
   * if (HttpError.isInstance(error)) console.error(error.status, error.errorName);
   * ```
   */
  static override isInstance(value: unknown): value is HttpError {
    return StepwiseError.isInstance(value) && value.name === 'HttpError';
  }

  /**
   * The JSON error body: the wire name (not `HttpError`) and the message.
   *
   * @example
   * ```ts
   * res.status(error.status).json({ error: error.toJSON() }); // { name: 'NotFoundError', message: '...' }
   * ```
   */
  override toJSON(): { name: string; message: string; stepId?: string } {
    return { ...super.toJSON(), name: this.errorName };
  }
}
