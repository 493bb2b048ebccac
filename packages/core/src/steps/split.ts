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
export function split<
  const Id extends string,
  const Variants extends { [variant: string]: SplitVariant },
  const Policy extends StepPolicy = never,
>(id: Id, variants: Variants, options: { policy?: Policy } = {}): SplitStep<Id, Variants, NoInfer<Policy>> {
  return compact({ type: 'split', id, variants, policy: options.policy }) as SplitStep<Id, Variants, Policy>;
}

/**
 * The range of a `split` step's draw: both runtimes draw an integer in `[0, SPLIT_DRAW_RANGE]` (Step Functions with
 * `States.MathRandom(0, SPLIT_DRAW_RANGE)`) and take the first variant whose cumulative weight share, times the range,
 * is above the draw. So weights are exact to one part in a million, and the same random source picks the same variant
 * on both runtimes.
 *
 * @example
 * ```ts
 * const draw = Math.min(SPLIT_DRAW_RANGE, Math.floor(Math.random() * (SPLIT_DRAW_RANGE + 1)));
 * ```
 */
export const SPLIT_DRAW_RANGE = 1_000_000;
