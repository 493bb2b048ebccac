import type { ChooseCase, ChooseStep, Step, StepPolicy } from '../chain/step';
import type { Condition } from '../condition/condition';
import { compact } from './compact';

/**
 * One case of {@link choose}: when the condition holds, run the steps.
 *
 * @example
 * ```ts
 * when(isTrue('steps.needsContext.value'), [retrieve('docs', { knowledgeBaseId: 'KB1', query: '{{input.question}}' })]);
 * ```
 */
export function when<const When extends Condition, const Steps extends Step[]>(
  condition: When,
  steps: Steps,
): ChooseCase<When, Steps> {
  return { when: condition, steps };
}

/**
 * Routing: the first case whose condition holds runs, else `otherwise`. Output: the last step's output of the
 * case that ran, or `null` when none did.
 *
 * @example
 * ```ts
 * choose('route', [when(isTrue('steps.churn.value.risk'), [task('offer', { handler: 'createOffer' })])], []);
 * ```
 */
export function choose<
  const Id extends string,
  const Cases extends ChooseCase[],
  const Otherwise extends Step[] = never,
  const Policy extends StepPolicy = never,
>(
  id: Id,
  cases: Cases,
  otherwise?: Otherwise,
  options: { policy?: Policy } = {},
): ChooseStep<Id, Cases, NoInfer<Otherwise>, NoInfer<Policy>> {
  return compact({ type: 'choose', id, cases, otherwise, policy: options.policy }) as ChooseStep<
    Id,
    Cases,
    Otherwise,
    Policy
  >;
}
