import { type Chain, defineChain, invoke, map, respond, transform } from '@stepwise/core';
import { HAIKU, SONNET } from '@stepwise/example-common';
import { z } from 'zod';

/** Input of {@link reviewDigest}: the documents to digest and what to look for. */
export const reviewDigestInput = z.object({
  topic: z.string().min(1).max(200),
  documents: z
    .array(z.object({ title: z.string(), text: z.string().max(20_000) }))
    .min(1)
    .max(200),
});

/** Options of {@link reviewDigestChain}. */
export interface ReviewDigestOptions {
  /** Documents summarised at once. Default 10. */
  maxConcurrency?: number;
  /** Chain name. Default `parallel-map`. */
  name?: string;
}

/**
 * Builds the digest chain: `map` summarises every document with a small model, at most `maxConcurrency` at a time,
 * then the larger model streams one synthesis of the summaries.
 *
 * @example
 * ```ts
 * const serial = reviewDigestChain({ maxConcurrency: 1, name: 'digest-serial' });
 * ```
 */
export function reviewDigestChain(options: ReviewDigestOptions = {}): Chain {
  return defineChain({
    name: options.name ?? 'parallel-map',
    description: 'Summarises many documents at once (map, bounded concurrency), then streams a synthesis.',
    input: reviewDigestInput,
    steps: [
      map('summaries', {
        items: 'input.documents',
        maxConcurrency: options.maxConcurrency ?? 10,
        steps: [
          invoke('summarize', {
            model: HAIKU,
            system: 'Summarise the document in one sentence, focusing on: {{input.topic}}.',
            prompt: '# {{item.title}}\n\n{{item.text}}',
            maxTokens: 120,
            temperature: 0,
            policy: {
              retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 4, intervalSeconds: 1, jitter: 'FULL' },
            },
          }),
          transform('entry', { set: { title: 'item.title', summary: 'steps.summarize.text' } }),
        ],
      }),
      respond('synthesis', {
        model: SONNET,
        system:
          'You write a short synthesis for the product team of Trailhead Outfitters: the main themes about ' +
          '{{input.topic}}, with how many documents mention each, then one recommendation.',
        prompt: 'Summaries (JSON): {{steps.summaries | json}}',
        maxTokens: 800,
        temperature: 0.2,
      }),
    ],
    output: { summaries: 'steps.summaries' },
  });
}

/**
 * The digest of product reviews, summarising 10 documents at a time.
 *
 * @example
 * ```ts
 * const { text } = await createLocalRuntime(reviewDigestFakes()).run(reviewDigest, sampleDigestInput());
 * ```
 */
export const reviewDigest = reviewDigestChain();
