import type { StandardSchemaV1 } from '@standard-schema/spec';
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
export interface TaskOptions<
  Input extends ValueSpec = ValueSpec,
  Output = unknown,
  Policy extends StepPolicy = StepPolicy,
> {
  /** Handler name: a local function on runtime-local, a Lambda function on Step Functions. */
  handler: string;
  /** The handler's input; default `{ input: <the chain's input> }`. */
  input?: Input;
  /**
   * Standard Schema (zod 4, valibot, arktype, ...) of what the handler returns: `defineChain` then checks the
   * paths that read `steps.<id>` and types them; without it the output is `unknown` and any path below it is
   * allowed. It declares what the handler promises; runtimes do not check the handler's answer against it.
   */
  output?: StandardSchemaV1<unknown, Output>;
  /** JSON Schema of what the handler returns, when `output` cannot produce one itself (valibot). */
  outputJsonSchema?: Record<string, unknown>;
  policy?: Policy;
}

/**
 * User code or an API call. Output: whatever the handler returns (JSON); `output` declares its shape, so that paths
 * below `steps.<id>` are checked and typed (without it they are `unknown`, and any path below is allowed).
 *
 * @example
 * ```ts
 * task('offer', { handler: 'createRetentionOffer', input: { customerId: 'input.customerId', reason: 'steps.churn.value.reason' } });
 * task('offer', { handler: 'createRetentionOffer', output: z.object({ code: z.string(), discountPercent: z.number() }) });
 * ```
 */
export function task<
  const Id extends string,
  const Input extends ValueSpec = never,
  Output = unknown,
  const Policy extends StepPolicy = never,
>(id: Id, options: TaskOptions<Input, Output, Policy>): TaskStep<Id, NoInfer<Input>, NoInfer<Output>, NoInfer<Policy>> {
  return compact({ type: 'task', id, ...options });
}
