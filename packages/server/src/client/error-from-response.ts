import {
  AbortedError,
  ChainDefinitionError,
  ExecutionTimeoutError,
  type InputIssue,
  InputValidationError,
  ModelError,
  StepFailedError,
  type StepwiseError,
  TemplateError,
} from '@stepwise/core';
import { HttpError } from './http-error';

interface ErrorBody {
  name?: unknown;
  message?: unknown;
  stepId?: unknown;
  error?: unknown;
  issues?: unknown;
  retryable?: unknown;
}

/**
 * The typed error for a failed HTTP answer of a stepwise server: the stepwise error the body names
 * (`InputValidationError` with its issues, `StepFailedError` with its ASL error name, ...), else an {@link HttpError}.
 *
 * @example
 * ```ts
 * const response = await fetch(url, init);
 * if (!response.ok) throw await errorFromResponse(response);
 * ```
 */
export async function errorFromResponse(response: Response): Promise<StepwiseError> {
  let body: ErrorBody = {};
  try {
    const json = (await response.json()) as { error?: ErrorBody };
    if (typeof json?.error === 'object' && json.error !== null) body = json.error;
  } catch {
    // not JSON: keep the status only
  }
  const message =
    typeof body.message === 'string' ? body.message : `The server answered ${response.status} ${response.statusText}.`;
  const name = typeof body.name === 'string' ? body.name : 'HttpError';
  const stepId = typeof body.stepId === 'string' ? body.stepId : undefined;
  const base = { ...(stepId === undefined ? {} : { stepId }), ...(body.retryable === true ? { retryable: true } : {}) };
  const aslError = typeof body.error === 'string' ? body.error : undefined;
  switch (name) {
    case 'InputValidationError':
      return new InputValidationError(message, Array.isArray(body.issues) ? (body.issues as InputIssue[]) : [], base);
    case 'StepFailedError':
      return new StepFailedError(message, { ...base, error: aslError ?? 'States.TaskFailed' });
    case 'ModelError':
      return new ModelError(message, { ...base, error: aslError ?? 'Bedrock.InternalServerException' });
    case 'ExecutionTimeoutError':
      return new ExecutionTimeoutError(message, base);
    case 'AbortedError':
      return new AbortedError(message, base);
    case 'TemplateError':
      return new TemplateError(message, base);
    case 'ChainDefinitionError':
      return new ChainDefinitionError(message, base);
  }
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return new HttpError(message, {
    ...base,
    status: response.status,
    errorName: name,
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  });
}
