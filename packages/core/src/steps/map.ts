import type { MapStep, Step, StepPolicy } from '../chain/step';
import { compact } from './compact';

/**
 * Options of {@link map}.
 *
 * @example
 * ```ts
 * map('each', { items: 'steps.docs.results', maxConcurrency: 2, steps: [invoke('sum', { model, prompt: '{{item.text}}' })] } satisfies MapOptions);
 * ```
 */
export interface MapOptions<
  Items extends string = string,
  Steps extends Step[] = Step[],
  Policy extends StepPolicy = StepPolicy,
> {
  /** Path to the array to fan out over. */
  items: Items;
  /** Iterations at once; 0 or absent = no limit. */
  maxConcurrency?: number;
  /** Steps run for each item; `item` and `index` are in scope. */
  steps: Steps;
  policy?: Policy;
}

/**
 * Fan-out over an array with a concurrency limit. Output: the last step's output of each iteration, in item order.
 *
 * @example
 * ```ts
 * map('summaries', {
 *   items: 'input.documents',
 *   maxConcurrency: 10,
 *   steps: [invoke('summary', { model: haiku, prompt: 'Summarise:\n{{item.text}}' })],
 * });
 * ```
 */
export function map<
  const Id extends string,
  const Items extends string,
  const Steps extends Step[],
  const Policy extends StepPolicy = never,
>(id: Id, options: MapOptions<Items, Steps, Policy>): MapStep<Id, Items, Steps, NoInfer<Policy>> {
  return compact({ type: 'map', id, ...options });
}
