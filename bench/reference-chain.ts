/**
 * The reference chain of the benchmarks, with its fake answers and input: `invoke` classify as boolean -> `choose` ->
 * `parallel` of two `invoke`s -> `respond` streaming 50 tokens. `reference-chain.bench.ts` runs it on runtime-local,
 * `sfn-reference.bench.ts` on the SFN runtime through the emulator.
 */
import { choose, defineChain, invoke, isTrue, parallel, respond, when } from '@stepwise/core';

/** The model ids the reference chain calls (the hand-written baseline calls the same). */
export const REFERENCE_MODELS = {
  haiku: 'anthropic.claude-3-haiku-20240307-v1:0',
  nova: 'us.amazon.nova-lite-v1:0',
  sonnet: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
} as const;

/** The streamed answer: 50 fake tokens. */
export const REFERENCE_ANSWER = Array.from({ length: 50 }, (_, index) =>
  index === 0 ? 'Token' : ` token${index}`,
).join('');

/** The fake models' answers by step (`fakeModels({ byStep: referenceReplies })`): the billing route is taken. */
export const referenceReplies = {
  classify: 'true',
  keywords: 'charge, twice',
  tone: 'annoyed',
  answer: REFERENCE_ANSWER,
};

/** The chain's input. */
export const referenceInput = { question: 'Why was I charged twice?' };

const { haiku, nova, sonnet } = REFERENCE_MODELS;

/** The reference chain. */
export const referenceChain = defineChain({
  name: 'reference',
  steps: [
    invoke('classify', { model: haiku, prompt: 'Is this about billing? {{input.question}}', output: 'boolean' }),
    choose('route', [
      when(isTrue('steps.classify.value'), [
        parallel('enrich', {
          keywords: [invoke('keywords', { model: haiku, prompt: 'Keywords: {{input.question}}' })],
          tone: [invoke('tone', { model: nova, prompt: 'Tone of: {{input.question}}' })],
        }),
      ]),
    ]),
    respond('answer', { model: sonnet, system: 'Context: {{steps.route | json}}', prompt: '{{input.question}}' }),
  ],
});
