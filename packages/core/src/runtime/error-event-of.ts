import { StepwiseError } from '../errors/stepwise-error';
import type { ErrorEvent } from './chain-event';

/**
 * The `error` of a terminal `error` event, built the same way by every runtime from what the run threw: the stepwise
 * error name, its message, the failing step, the ASL error name (`error`, for a step failure or a model error) and
 * whether retrying may help. Anything that is not a stepwise error becomes a generic `Error` whose message says
 * nothing of it.
 *
 * @example
 * ```ts
 * try {
 *   await run();
 * } catch (error) {
 *   yield { type: 'error', error: errorEventOf(error) };
 * }
 * ```
 */
export function errorEventOf(error: unknown): ErrorEvent['error'] {
  if (!StepwiseError.isInstance(error)) return { name: 'Error', message: 'The run failed unexpectedly.' };
  const payload: ErrorEvent['error'] = { name: error.name, message: error.message };
  if (error.stepId !== undefined) payload.stepId = error.stepId;
  const asl = (error as { error?: unknown }).error;
  if (typeof asl === 'string') payload.error = asl;
  if (error.retryable) payload.retryable = true;
  return payload;
}
