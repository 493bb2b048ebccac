import { defineChain, invoke, respond, split, transform } from '@stepwise/core';
import { HAIKU, NOVA_MICRO } from '@stepwise/example-common';
import { z } from 'zod';

/** Input of {@link abTest}. */
export const abTestInput = z.object({ question: z.string().min(1).max(2000) });

/**
 * An A/B experiment on the prompt: half the requests get a direct answer (`direct`), the other half first have a
 * cheaper model (Amazon Nova Micro) outline the answer, which the answering model then follows (`outlined`).
 * The variant is in the chain's output, and in the stream: the `experiment` step's `step-end` carries
 * `{ variant, output }`, and the chosen variant's own steps report `step-start`/`step-end`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(abTestFakes());
 * const { output, text } = await runtime.run(abTest, { question: 'How do I pick a sleeping bag?' });
 * output; // { variant: 'outlined' } or { variant: 'direct' }
 * ```
 */
export const abTest = defineChain({
  name: 'ab-test',
  description: 'A/B test of two prompt variants (direct, or outlined first by a cheaper model); reports the variant.',
  input: abTestInput,
  steps: [
    split('experiment', {
      direct: {
        weight: 1,
        steps: [
          transform('directPrompt', {
            set: { style: 'Answer directly in two or three sentences.' },
          }),
        ],
      },
      outlined: {
        weight: 1,
        steps: [
          invoke('outline', {
            model: NOVA_MICRO,
            system: 'Write a numbered outline of at most 3 short points for answering the question. No prose.',
            prompt: '{{input.question}}',
            maxTokens: 120,
            temperature: 0,
          }),
          transform('outlinedPrompt', {
            set: { style: 'Answer by following this outline, one short paragraph per point:\n{{steps.outline.text}}' },
          }),
        ],
      },
    }),
    respond('finalAnswer', {
      model: HAIKU,
      system: 'You are the gear expert of Trailhead Outfitters. {{steps.experiment.output.style}}',
      prompt: '{{input.question}}',
      maxTokens: 600,
      temperature: 0.5,
    }),
  ],
  output: { variant: 'steps.experiment.variant' },
});
