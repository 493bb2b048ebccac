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
export interface MapOptions {
  /** Path to the array to fan out over. */
  items: string;
  /** Iterations at once; 0 or absent = no limit. */
  maxConcurrency?: number;
  /** Steps run for each item; `item` and `index` are in scope. */
  steps: Step[];
  policy?: StepPolicy;
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
export function map(id: string, options: MapOptions): MapStep {
  return compact({ type: 'map', id, ...options });
}
