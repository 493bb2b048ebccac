import { ModelError } from '../errors/model-error';

/**
 * The ASL error names of a failed call to a model of another provider than Bedrock (`openai:...`,
 * `anthropic:...`, `compatible:...`), the same on both runtimes, so that a policy means the same everywhere:
 *
 * | name | when | HTTP Task error on Step Functions | retryable |
 * | --- | --- | --- | --- |
 * | `Provider.BadRequest` | the provider refused the request (4xx other than below) | `States.Http.StatusCode.400`, `.404`, `.409`, `.413`, `.415`, `.422` | no |
 * | `Provider.Unauthorized` | a missing, wrong or insufficient API key | `States.Http.StatusCode.401`, `.403` | no |
 * | `Provider.RateLimited` | too many requests or tokens | `States.Http.StatusCode.429` | yes |
 * | `Provider.ServerError` | the provider failed or is overloaded (5xx, Anthropic's 529) | `States.Http.StatusCode.500`, `.502`, `.503`, `.504`, `.529` | yes |
 * | `Provider.ConnectionError` | no answer: connection refused or reset, a timeout, HTTP 408 | `States.Http.Socket`, `States.Http.StatusCode.408` | yes |
 * | `Provider.StreamCut` | a streamed answer broke off or ended before its finish | (streams run in the server process) | yes |
 *
 * An answer that arrives but does not have the API's shape is `States.Runtime`, as on Step Functions, whose
 * `ResultSelector` then fails.
 *
 * @example
 * ```ts
 * invoke('classify', { model: 'openai:gpt-4o-mini', prompt, policy: { retry: { errors: [PROVIDER_ERRORS.rateLimited] } } });
 * ```
 */
export const PROVIDER_ERRORS = {
  badRequest: 'Provider.BadRequest',
  unauthorized: 'Provider.Unauthorized',
  rateLimited: 'Provider.RateLimited',
  serverError: 'Provider.ServerError',
  connectionError: 'Provider.ConnectionError',
  streamCut: 'Provider.StreamCut',
} as const;

/**
 * One of the {@link PROVIDER_ERRORS} names.
 *
 * @example
 * ```ts
 * const name: ProviderErrorName = 'Provider.RateLimited';
 * ```
 */
export type ProviderErrorName = (typeof PROVIDER_ERRORS)[keyof typeof PROVIDER_ERRORS];

/** The HTTP Task error names each provider error stands for on Step Functions. */
const HTTP_TASK_ERRORS: Readonly<Record<ProviderErrorName, readonly string[]>> = {
  'Provider.BadRequest': [400, 404, 409, 413, 415, 422].map(statusError),
  'Provider.Unauthorized': [401, 403].map(statusError),
  'Provider.RateLimited': [statusError(429)],
  'Provider.ServerError': [500, 502, 503, 504, 529].map(statusError),
  'Provider.ConnectionError': ['States.Http.Socket', statusError(408)],
  'Provider.StreamCut': [],
};

const STATUS_ERROR = /^States\.Http\.StatusCode\.(\d{3})$/;

function statusError(status: number): string {
  return `States.Http.StatusCode.${status}`;
}

/**
 * The provider error name of an HTTP status the provider answered with (`undefined`: no answer at all).
 *
 * @example
 * ```ts
 * providerErrorOfStatus(429); // 'Provider.RateLimited'
 * providerErrorOfStatus(undefined); // 'Provider.ConnectionError'
 * ```
 */
export function providerErrorOfStatus(status: number | undefined): ProviderErrorName {
  if (status === undefined || status === 408) return PROVIDER_ERRORS.connectionError;
  if (status === 401 || status === 403) return PROVIDER_ERRORS.unauthorized;
  if (status === 429) return PROVIDER_ERRORS.rateLimited;
  if (status >= 500) return PROVIDER_ERRORS.serverError;
  return PROVIDER_ERRORS.badRequest;
}

/**
 * The provider error name of an error Step Functions' HTTP Task raises (`States.Http.StatusCode.429`,
 * `States.Http.Socket`), or `undefined` for any other error name. The SFN runtime reports a failed HTTP Task under
 * this name, as runtime-local reports the same failure.
 *
 * @example
 * ```ts
 * providerErrorOfHttpTask('States.Http.StatusCode.503'); // 'Provider.ServerError'
 * providerErrorOfHttpTask('Bedrock.ThrottlingException'); // undefined
 * ```
 */
export function providerErrorOfHttpTask(error: string): ProviderErrorName | undefined {
  if (error === 'States.Http.Socket') return PROVIDER_ERRORS.connectionError;
  const status = STATUS_ERROR.exec(error)?.[1];
  return status === undefined ? undefined : providerErrorOfStatus(Number(status));
}

/**
 * The HTTP Task error names a policy's error name stands for on Step Functions: for a provider error, the
 * `States.Http.*` names it covers (see {@link PROVIDER_ERRORS}); for any other name, none.
 *
 * @example
 * ```ts
 * httpTaskErrorsOf('Provider.RateLimited'); // ['States.Http.StatusCode.429']
 * ```
 */
export function httpTaskErrorsOf(error: string): readonly string[] {
  return HTTP_TASK_ERRORS[error as ProviderErrorName] ?? [];
}

/**
 * Whether an error name is one of the {@link PROVIDER_ERRORS}.
 *
 * @example
 * ```ts
 * isProviderErrorName('Provider.ServerError'); // true
 * ```
 */
export function isProviderErrorName(error: string): error is ProviderErrorName {
  return Object.hasOwn(HTTP_TASK_ERRORS, error);
}

/**
 * A `ModelError` under a provider error name, with the HTTP status when there was one.
 *
 * @example
 * ```ts
 * throw providerError('Rate limit reached for gpt-4o-mini', { status: 429 }); // Provider.RateLimited, retryable
 * ```
 */
export function providerError(
  message: string,
  options: { status?: number | undefined; error?: ProviderErrorName; cause?: unknown } = {},
): ModelError {
  const error = options.error ?? providerErrorOfStatus(options.status);
  return new ModelError(message, {
    error,
    ...(options.status !== undefined ? { statusCode: options.status } : {}),
    ...(options.cause !== undefined ? { cause: options.cause } : {}),
  });
}
