import { AbortedError, type KnowledgeBase, type RetrievalRequest, type RetrievalResult } from '@stepwise/core';

/**
 * A document of a {@link memoryKnowledgeBase}.
 *
 * @example
 * ```ts
 * const document: MemoryDocument = { text: 'Refunds take 14 days.', source: 's3://kb/refunds.md', metadata: { lang: 'en' } };
 * ```
 */
export interface MemoryDocument {
  text: string;
  /** A URI or id: the result's `source` (and the Bedrock location). */
  source?: string;
  /** Returned in Bedrock-shaped results' `Metadata`. */
  metadata?: { [key: string]: unknown };
}

/**
 * One hit in the shape Bedrock's `Retrieve` returns it, as Step Functions' `bedrockagentruntime:retrieve` passes it on.
 *
 * @example
 * ```ts
 * const [first]: BedrockRetrievalResult[] = kb.retrieveBedrock({ knowledgeBaseId: 'KB1', query: 'refunds', topK: 1 }).RetrievalResults;
 * ```
 */
export interface BedrockRetrievalResult {
  Content: { Text: string; Type: 'TEXT' };
  Location:
    | { Type: 'S3'; S3Location: { Uri: string } }
    | { Type: 'WEB'; WebLocation: { Url: string } }
    | { Type: 'CUSTOM'; CustomDocumentLocation: { Id: string } };
  Score: number;
  Metadata: { [key: string]: unknown };
}

/**
 * The knowledge base {@link memoryKnowledgeBase} returns.
 *
 * @example
 * ```ts
 * const kb: MemoryKnowledgeBase = memoryKnowledgeBase(['Refunds take 14 days.']);
 * ```
 */
export interface MemoryKnowledgeBase extends KnowledgeBase {
  readonly documents: readonly MemoryDocument[];
  /**
   * The same search, answered as Bedrock's `Retrieve` answers (`{ RetrievalResults: [...] }`, PascalCase, the source
   * also in `Metadata['x-amz-bedrock-kb-source-uri']`), for the emulator.
   */
  retrieveBedrock(request: RetrievalRequest): { RetrievalResults: BedrockRetrievalResult[] };
}

/**
 * Options of {@link memoryKnowledgeBase}: the BM25 parameters.
 *
 * @example
 * ```ts
 * const kb = memoryKnowledgeBase(documents, { k1: 1.5, b: 0.5 });
 * ```
 */
export interface MemoryKnowledgeBaseOptions {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation. Default 0.75. */
  b?: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

function terms(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * An in-memory knowledge base with BM25 lexical scoring, for `retrieve` steps in tests and the emulator. Results are
 * the `topK` documents with a positive score, best first (ties in document order), scores rounded to 6 decimals.
 *
 * @example
 * ```ts
 * const kb = memoryKnowledgeBase([
 *   { text: 'Refunds are issued within 14 days.', source: 's3://docs/refunds.md' },
 *   'Shipping is free over 50 euros.',
 * ]);
 * const runtime = createLocalRuntime({ models, knowledgeBases: { KB12345678: kb } });
 * await kb.retrieve({ knowledgeBaseId: 'KB12345678', query: 'refund days', topK: 1 });
 * // [{ text: 'Refunds are issued within 14 days.', score: 1.2345, source: 's3://docs/refunds.md' }]
 * ```
 */
export function memoryKnowledgeBase(
  documents: Array<MemoryDocument | string>,
  options: MemoryKnowledgeBaseOptions = {},
): MemoryKnowledgeBase {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const docs: MemoryDocument[] = documents.map((document) =>
    typeof document === 'string' ? { text: document } : document,
  );
  const indexed = docs.map((document) => {
    const frequencies = new Map<string, number>();
    const words = terms(document.text);
    for (const word of words) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
    return { document, frequencies, length: words.length };
  });
  const documentFrequency = new Map<string, number>();
  for (const { frequencies } of indexed) {
    for (const word of frequencies.keys()) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  }
  const averageLength = indexed.reduce((sum, entry) => sum + entry.length, 0) / Math.max(1, indexed.length);
  const count = indexed.length;

  const search = (query: string, topK: number): Array<{ document: MemoryDocument; score: number }> => {
    const queryTerms = [...new Set(terms(query))];
    const scored: Array<{ document: MemoryDocument; score: number; at: number }> = [];
    indexed.forEach((entry, at) => {
      let score = 0;
      for (const term of queryTerms) {
        const frequency = entry.frequencies.get(term);
        if (!frequency) continue;
        const n = documentFrequency.get(term) ?? 0;
        const idf = Math.log(1 + (count - n + 0.5) / (n + 0.5));
        score += (idf * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * entry.length) / (averageLength || 1)));
      }
      if (score > 0) scored.push({ document: entry.document, score: Math.round(score * 1e6) / 1e6, at });
    });
    scored.sort((x, y) => y.score - x.score || x.at - y.at);
    return scored.slice(0, Math.max(0, topK));
  };

  return {
    specificationVersion: 'v1',
    documents: docs,
    async retrieve(request, callOptions) {
      if (callOptions?.signal?.aborted) throw new AbortedError('The retrieval was aborted.');
      return search(request.query, request.topK).map(({ document, score }) => {
        const result: RetrievalResult = { text: document.text, score };
        if (document.source !== undefined) result.source = document.source;
        return result;
      });
    },
    retrieveBedrock(request) {
      return {
        RetrievalResults: search(request.query, request.topK).map(({ document, score }, index) => {
          const source = document.source ?? `memory://${request.knowledgeBaseId}/${index}`;
          const location: BedrockRetrievalResult['Location'] = source.startsWith('s3://')
            ? { Type: 'S3', S3Location: { Uri: source } }
            : /^https?:\/\//.test(source)
              ? { Type: 'WEB', WebLocation: { Url: source } }
              : { Type: 'CUSTOM', CustomDocumentLocation: { Id: source } };
          const metadata: { [key: string]: unknown } = { ...document.metadata };
          if (document.source !== undefined) metadata['x-amz-bedrock-kb-source-uri'] = document.source;
          return {
            Content: { Text: document.text, Type: 'TEXT' },
            Location: location,
            Score: score,
            Metadata: metadata,
          };
        }),
      };
    },
  };
}
