import type { StepPolicy, TransformStep, ValueSpec } from '../chain/step';
import { compact } from './compact';

/**
 * Options of {@link transform}.
 *
 * @example
 * ```ts
 * transform('ctx', { set: { question: 'input.question', label: 'Q: {{input.question}}' } } satisfies TransformOptions);
 * ```
 */
export interface TransformOptions {
  /** Keys of the output object, each a path, a template, a literal or a nested object. */
  set: { [key: string]: ValueSpec };
  policy?: StepPolicy;
}

/**
 * Builds an object from the state. Output: the object.
 *
 * @example
 * ```ts
 * transform('context', { set: { question: 'input.question', heading: 'About: {{steps.keywords.text}}', limit: 3 } });
 * ```
 */
export function transform(id: string, options: TransformOptions): TransformStep {
  return compact({ type: 'transform', id, ...options });
}
