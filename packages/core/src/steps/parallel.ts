import type { ParallelStep, Step, StepPolicy } from '../chain/step';
import { compact } from './compact';

/**
 * Runs branches at once. Output `{ <branch>: <output of the branch's last step> }`.
 *
 * @example
 * ```ts
 * parallel('enrich', {
 *   keywords: [invoke('keywords', { model: haiku, prompt: 'Keywords for: {{input.question}}' })],
 *   needsContext: [invoke('needsContext', { model: haiku, prompt: '...', output: 'boolean' })],
 * });
 * ```
 */
export function parallel<
  const Id extends string,
  const Branches extends { [branch: string]: Step[] },
  const Policy extends StepPolicy = never,
>(id: Id, branches: Branches, options: { policy?: Policy } = {}): ParallelStep<Id, Branches, NoInfer<Policy>> {
  return compact({ type: 'parallel', id, branches, policy: options.policy }) as ParallelStep<Id, Branches, Policy>;
}
