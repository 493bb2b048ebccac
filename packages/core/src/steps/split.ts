import type { SplitStep, SplitVariant, StepPolicy } from '../chain/step';
import { compact } from './compact';

/**
 * A/B experiment: picks one variant at random by weight. Output `{ variant, output }`.
 *
 * @example
 * ```ts
 * split('experiment', {
 *   concise: { weight: 1, steps: [transform('style', { set: { style: 'Answer in one sentence.' } })] },
 *   detailed: { weight: 1, steps: [transform('style2', { set: { style: 'Answer in detail.' } })] },
 * });
 * ```
 */
export function split(
  id: string,
  variants: { [variant: string]: SplitVariant },
  options: { policy?: StepPolicy } = {},
): SplitStep {
  return compact({ type: 'split', id, variants, policy: options.policy });
}
