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
export function parallel(
  id: string,
  branches: { [branch: string]: Step[] },
  options: { policy?: StepPolicy } = {},
): ParallelStep {
  return compact({ type: 'parallel', id, branches, policy: options.policy });
}
