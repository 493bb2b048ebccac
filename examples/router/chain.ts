import { choose, defineChain, invoke, isTrue, respond, task, transform, when } from '@stepwise/core';
import { HAIKU, SONNET } from '@stepwise/example-common';
import { z } from 'zod';

/** Input of {@link router}: who wrote, and what. */
export const routerInput = z.object({
  customerId: z.string().min(1),
  message: z.string().min(1).max(4000),
});

/**
 * Routes a customer message. A small model classifies it (churn risk yes/no and why, as JSON); a message at risk
 * goes to the retention branch, which creates a retention offer through the `createRetentionOffer` handler before
 * the reply; any other message gets a plain support answer.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(routerFakes());
 * const result = await runtime.run(router, { customerId: 'c-42', message: 'I am cancelling, too expensive.' });
 * result.output; // { churnRisk: true, reason: 'price', route: 'retention' }
 * ```
 */
export const router = defineChain({
  name: 'router',
  description: 'Classifies a customer message for churn risk and answers with a retention offer or plain support.',
  input: routerInput,
  steps: [
    invoke('classify', {
      model: HAIKU,
      system:
        'You triage messages to the support team of Trailhead Outfitters. Decide whether the customer is at risk of ' +
        'leaving (cancelling a membership, moving to a competitor, angry about price or service). Reply with JSON only: ' +
        '{"churnRisk": true|false, "reason": "<a few words>"}',
      prompt: '{{input.message}}',
      prefill: '{',
      output: 'json',
      maxTokens: 100,
      temperature: 0,
      policy: {
        retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 3, intervalSeconds: 1, jitter: 'FULL' },
      },
    }),
    choose(
      'route',
      [
        when(isTrue('steps.classify.value.churnRisk'), [
          task('createOffer', {
            handler: 'createRetentionOffer',
            input: { customerId: 'input.customerId', reason: 'steps.classify.value.reason' },
            policy: {
              timeoutSeconds: 10,
              retry: { errors: ['States.TaskFailed'], maxAttempts: 2, intervalSeconds: 1 },
            },
          }),
          transform('retentionBrief', {
            set: {
              route: 'retention',
              instructions:
                'The customer may leave us ({{steps.classify.value.reason}}). Acknowledge the problem honestly, then ' +
                'offer {{steps.createOffer.discountPercent}}% off for {{steps.createOffer.months}} months with the code ' +
                '{{steps.createOffer.code}} (valid for {{steps.createOffer.validDays}} days).',
            },
          }),
        ]),
      ],
      [
        transform('supportBrief', {
          set: { route: 'support', instructions: 'Answer the question helpfully in at most three sentences.' },
        }),
      ],
    ),
    respond('reply', {
      model: SONNET,
      system: 'You answer customers of Trailhead Outfitters by chat. {{steps.route.instructions}}',
      prompt: '{{input.message}}',
      maxTokens: 600,
      temperature: 0.3,
    }),
  ],
  output: {
    churnRisk: 'steps.classify.value.churnRisk',
    reason: 'steps.classify.value.reason',
    route: 'steps.route.route',
  },
});
