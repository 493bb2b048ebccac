import type { StepPolicy, TaskStep, ValueSpec } from '../chain/step';
import { compact } from './compact';

/**
 * Options of {@link task}.
 *
 * @example
 * ```ts
 * task('order', { handler: 'getOrder', input: { id: 'input.orderId' } } satisfies TaskOptions);
 * ```
 */
export interface TaskOptions {
  /** Handler name: a local function on runtime-local, a Lambda function on Step Functions. */
  handler: string;
  /** The handler's input; default `{ input: <the chain's input> }`. */
  input?: ValueSpec;
  policy?: StepPolicy;
}

/**
 * User code or an API call. Output: whatever the handler returns (JSON).
 *
 * @example
 * ```ts
 * task('offer', { handler: 'createRetentionOffer', input: { customerId: 'input.customerId', reason: 'steps.churn.value.reason' } });
 * ```
 */
export function task(id: string, options: TaskOptions): TaskStep {
  return compact({ type: 'task', id, ...options });
}
