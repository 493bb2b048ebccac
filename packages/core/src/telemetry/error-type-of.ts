import { ModelError } from '../errors/model-error';
import { StepFailedError } from '../errors/step-failed-error';
import { StepwiseError } from '../errors/stepwise-error';

/**
 * The `error.type` of a failure: the ASL error name of a step or model failure (`Bedrock.ThrottlingException`,
 * `States.Timeout`, `Provider.RateLimited`, a handler's error name), which policies match and both runtimes give
 * alike; else the stepwise error's name (`AbortedError`, `ExecutionTimeoutError`), an error's `name`, or `_OTHER`.
 *
 * @example
 * ```ts
 * errorTypeOf(new StepFailedError('Step "a" failed', { error: 'States.Timeout', stepId: 'a' })); // 'States.Timeout'
 * ```
 */
export function errorTypeOf(error: unknown): string {
  if (StepFailedError.isInstance(error) || ModelError.isInstance(error)) return error.error;
  if (StepwiseError.isInstance(error)) return error.name;
  if (error instanceof Error && error.name) return error.name;
  return '_OTHER';
}
