import { choose, defineChain, eq, invoke, respond, transform, when } from '@stepwise/core';
import type { ProviderConnections } from '@stepwise/runtime-sfn';
import { z } from 'zod';

/**
 * The small model that classifies: served by any OpenAI-compatible endpoint (a local Ollama, a gateway, Mistral's
 * API), named `compatible:<model>`.
 */
export const CLASSIFIER = 'compatible:llama3.2';
/** The model that writes and streams the answer: OpenAI's, through its Chat Completions API. */
export const ANSWERER = 'openai:gpt-4o-mini';

/**
 * The EventBridge connections the golden ASL is compiled with (a deployment passes its own: `stepwise deploy
 * --connection openai=<arn> --connection compatible=<arn> --endpoint compatible=<url>`, or the SAM template's parameters).
 *
 * @example
 * ```ts
 * compileChain(anyProvider, { providers: exampleConnections });
 * ```
 */
export const exampleConnections: ProviderConnections = {
  openai: {
    connectionArn:
      'arn:aws:events:us-east-1:123456789012:connection/stepwise-openai/4e0a2b34-0000-4000-8000-000000000001',
  },
  compatible: {
    connectionArn:
      'arn:aws:events:us-east-1:123456789012:connection/stepwise-gateway/4e0a2b34-0000-4000-8000-000000000002',
    endpoint: 'https://gateway.example.com/v1/chat/completions',
  },
};

/** Input of {@link anyProvider}: a customer's question. */
export const anyProviderInput = z.object({ question: z.string().min(1).max(4000) });

/**
 * Routes a question with a small model on one provider and streams the answer from another: the classifier (an
 * OpenAI-compatible endpoint) names the topic as JSON, a `choose` picks the brief, and OpenAI answers. On Step
 * Functions the classifier is an HTTP Task with an EventBridge connection; the answer streams from the server.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(anyProviderFakes());
 * const result = await runtime.run(anyProvider, { question: 'Why was I charged twice?' });
 * result.output; // { topic: 'billing', route: 'billing' }
 * ```
 */
export const anyProvider = defineChain({
  name: 'any-provider',
  description: 'A small model on one provider classifies the question; the answer streams from another provider.',
  input: anyProviderInput,
  steps: [
    invoke('topic', {
      model: CLASSIFIER,
      system:
        'You sort the questions of customers of Trailhead Outfitters. Reply with JSON only, no code fence: ' +
        '{"topic": "billing" | "technical" | "other"}',
      prompt: '{{input.question}}',
      output: 'json',
      maxTokens: 30,
      temperature: 0,
      policy: {
        retry: {
          errors: ['Provider.RateLimited', 'Provider.ServerError', 'Provider.ConnectionError'],
          maxAttempts: 3,
          intervalSeconds: 1,
          jitter: 'FULL',
        },
      },
    }),
    choose(
      'brief',
      [
        when(eq('steps.topic.value.topic', 'billing'), [
          transform('billingBrief', {
            set: {
              route: 'billing',
              instructions:
                'The question is about billing. Explain charges plainly; refunds take 5 business days and need the order number.',
            },
          }),
        ]),
        when(eq('steps.topic.value.topic', 'technical'), [
          transform('technicalBrief', {
            set: {
              route: 'technical',
              instructions:
                'The question is technical. Give numbered steps; suggest a photo of the problem if it persists.',
            },
          }),
        ]),
      ],
      [
        transform('generalBrief', {
          set: { route: 'general', instructions: 'Answer helpfully in at most three sentences.' },
        }),
      ],
    ),
    respond('advise', {
      model: ANSWERER,
      system: 'You answer customers of Trailhead Outfitters by chat. {{steps.brief.instructions}}',
      prompt: '{{input.question}}',
      maxTokens: 400,
      temperature: 0.3,
    }),
  ],
  output: { topic: 'steps.topic.value.topic', route: 'steps.brief.route' },
});
