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
export interface TransformOptions<
  Set extends { [key: string]: ValueSpec } = { [key: string]: ValueSpec },
  Policy extends StepPolicy = StepPolicy,
> {
  /** Keys of the output object, each a path, a template, a literal or a nested object. */
  set: Set;
  policy?: Policy;
}

/**
 * Builds an object from the state. Output: the object.
 *
 * @example
 * ```ts
 * transform('context', { set: { question: 'input.question', heading: 'About: {{steps.keywords.text}}', limit: 3 } });
 * ```
 */
export function transform<
  const Id extends string,
  const Set extends { [key: string]: ValueSpec },
  const Policy extends StepPolicy = never,
>(id: Id, options: TransformOptions<Set, Policy>): TransformStep<Id, Set, NoInfer<Policy>> {
  return compact({ type: 'transform', id, ...options });
}
