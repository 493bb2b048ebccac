import { choose, defineChain, invoke, isTrue, parallel, respond, retrieve, transform, when } from '@stepwise/core';
import { HAIKU, SONNET } from '@stepwise/example-common';
import { z } from 'zod';

/** The Bedrock knowledge base searched for context (a real id is 10 characters of [0-9A-Z]). */
export const KNOWLEDGE_BASE_ID = 'STEPWISEKB';

/** Input of {@link ragAssistant}: a question and the chat so far. */
export const ragAssistantInput = z.object({
  question: z.string().min(1).max(2000),
  history: z
    .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() }))
    .default([])
    .describe('Earlier turns of the conversation; the last 6 are sent to the model.'),
});

/**
 * The serverless GenAI assistant flow. In parallel, a small model extracts search keywords and another decides
 * whether the question needs the knowledge base at all; only then is the knowledge base searched (with the
 * question plus the keywords, degrading to no context if the search fails); the larger model streams the answer
 * from the retrieved context and the last 6 turns of the chat.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(ragAssistantFakes());
 * const { text } = await runtime.run(ragAssistant, { question: 'Can I return worn boots?' });
 * ```
 */
export const ragAssistant = defineChain({
  name: 'rag-assistant',
  description: 'Answers questions about Trailhead Outfitters from its knowledge base, with chat history.',
  input: ragAssistantInput,
  steps: [
    parallel('analyze', {
      keywords: [
        invoke('extractKeywords', {
          model: HAIKU,
          system:
            'Extract the 3 to 6 most useful search keywords from the question. ' +
            'Reply with the keywords only, separated by spaces, lowercase.',
          prompt: '{{input.question}}',
          maxTokens: 40,
          temperature: 0,
          policy: {
            retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 3, intervalSeconds: 1, jitter: 'FULL' },
          },
        }),
      ],
      needsContext: [
        invoke('checkNeedsContext', {
          model: HAIKU,
          system:
            'Decide whether answering the message needs the documents of Trailhead Outfitters ' +
            '(policies, products, orders, stores). Small talk does not. Reply with true or false only.',
          prompt: '{{input.question}}',
          output: 'boolean',
          maxTokens: 5,
          temperature: 0,
          policy: {
            retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 3, intervalSeconds: 1, jitter: 'FULL' },
          },
        }),
      ],
    }),
    choose('context', [
      when(isTrue('steps.analyze.needsContext.value'), [
        retrieve('searchDocs', {
          knowledgeBaseId: KNOWLEDGE_BASE_ID,
          query: '{{input.question}} {{steps.analyze.keywords.text}}',
          topK: 3,
          policy: {
            timeoutSeconds: 10,
            catch: {
              errors: ['States.ALL'],
              fallback: [
                transform('searchFailed', {
                  set: { note: 'The knowledge base is unavailable right now; answer without it and say so.' },
                }),
              ],
            },
          },
        }),
      ]),
    ]),
    respond('answer', {
      model: SONNET,
      system:
        'You are the assistant of Trailhead Outfitters, an outdoor gear shop. Answer in a friendly, concise way, ' +
        'using only the context below when it is relevant. If the context does not hold the answer, say you do not know.\n' +
        'Context (JSON; null when no documents were needed): {{steps.context | json}}',
      messages: { from: 'input.history', last: 6 },
      prompt: '{{input.question}}',
      maxTokens: 800,
      temperature: 0.3,
    }),
  ],
  output: {
    keywords: 'steps.analyze.keywords.text',
    usedKnowledgeBase: 'steps.analyze.needsContext.value',
  },
});
