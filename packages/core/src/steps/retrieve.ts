import type { RetrieveStep, StepPolicy } from '../chain/step';
import { compact } from './compact';

/**
 * Options of {@link retrieve}.
 *
 * @example
 * ```ts
 * retrieve('docs', { knowledgeBaseId: 'KB123', query: '{{input.question}}', topK: 5 } satisfies RetrieveOptions);
 * ```
 */
export interface RetrieveOptions<Policy extends StepPolicy = StepPolicy> {
  knowledgeBaseId: string;
  /** Query template. */
  query: string;
  /** Default 5. */
  topK?: number;
  policy?: Policy;
}

/**
 * Knowledge-base search. Output `{ results: [{ text, score, source? }] }`.
 *
 * @example
 * ```ts
 * retrieve('docs', { knowledgeBaseId: 'KB12345678', query: '{{input.question}} {{steps.keywords.text}}', topK: 3 });
 * ```
 */
export function retrieve<const Id extends string, const Policy extends StepPolicy = never>(
  id: Id,
  options: RetrieveOptions<Policy>,
): RetrieveStep<Id, NoInfer<Policy>> {
  return compact({ type: 'retrieve', id, ...options });
}
