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
export function when(condition: Condition, steps: Step[]): ChooseCase {
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
export function choose(
  id: string,
  cases: ChooseCase[],
  otherwise?: Step[],
  options: { policy?: StepPolicy } = {},
): ChooseStep {
  return compact({ type: 'choose', id, cases, otherwise, policy: options.policy });
}
