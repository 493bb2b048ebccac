import {
  choose,
  defineChain,
  eq,
  invoke,
  isTrue,
  map,
  parallel,
  respond,
  retrieve,
  split,
  task,
  transform,
  when,
} from '@stepwise/core';
import { memoryKnowledgeBase } from '@stepwise/runtime-local';
import { describe, expect, it } from 'vitest';
import { runBoth } from './run-both';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';

describe('compiled ASL on aws-local-stepfunctions means what runtime-local means', () => {
  it('runs the reference chain (invoke boolean -> choose -> parallel -> respond)', async () => {
    const chain = defineChain({
      name: 'reference',
      steps: [
        invoke('classify', { model: HAIKU, prompt: 'Needs context? {{input.question}}', output: 'boolean' }),
        choose('route', [
          when(isTrue('steps.classify.value'), [
            parallel('enrich', {
              keywords: [invoke('keywords', { model: NOVA, prompt: 'Keywords: {{input.question}}' })],
              summary: [invoke('summary', { model: LLAMA, system: 'Be brief.', prompt: 'Summarise: {{input.question}}' })],
            }),
          ]),
        ]),
        respond('answer', { model: HAIKU, system: 'Context: {{steps.route | json}}', prompt: '{{input.question}}' }),
      ],
    });
    for (const answer of ['true', 'false']) {
      const { local, asl } = await runBoth(chain, { question: "What's {new}?" }, {
        models: { byStep: { classify: answer, keywords: 'refund, days', summary: 'A question.' }, default: 'Final answer.' },
      });
      expect(local).toMatchObject({ ok: true });
      expect(asl).toEqual(local);
    }
  });
});
