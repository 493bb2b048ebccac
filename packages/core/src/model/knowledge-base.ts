/**
 * One knowledge-base hit, as a `retrieve` step outputs it.
 *
 * @example
 * ```ts
 * const hit: RetrievalResult = { text: 'Refunds take 5 days.', score: 0.82, source: 's3://docs/refunds.md' };
 * ```
 */
export interface RetrievalResult {
  text: string;
  score: number;
  /** Where the text came from (a URI or document id), when known. */
  source?: string;
}

/**
 * A knowledge-base search.
 *
 * @example
 * ```ts
 * await knowledgeBase.retrieve({ knowledgeBaseId: 'KB123', query: 'refund policy', topK: 3 } satisfies RetrievalRequest);
 * ```
 */
export interface RetrievalRequest {
  knowledgeBaseId: string;
  query: string;
  topK: number;
}

/**
 * The knowledge-base spec, version 1: what runtime-local calls for `retrieve` steps and the emulator serves
 * for `bedrockagentruntime:retrieve`. Implementations: `memoryKnowledgeBase` in `@stepwise/runtime-local`.
 *
 * @example
 * ```ts
 * const kb: KnowledgeBase = {
 *   specificationVersion: 'v1',
 *   async retrieve({ query, topK }) {
 *     return [{ text: `About ${query}`, score: 1 }].slice(0, topK);
 *   },
 * };
 * ```
 */
export interface KnowledgeBase {
  readonly specificationVersion: 'v1';
  retrieve(request: RetrievalRequest, options?: { signal?: AbortSignal }): Promise<RetrievalResult[]>;
}
