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
              summary: [
                invoke('summary', { model: LLAMA, system: 'Be brief.', prompt: 'Summarise: {{input.question}}' }),
              ],
            }),
          ]),
        ]),
        respond('answer', { model: HAIKU, system: 'Context: {{steps.route | json}}', prompt: '{{input.question}}' }),
      ],
    });
    for (const answer of ['true', 'false']) {
      const { local, asl } = await runBoth(
        chain,
        { question: "What's {new}?" },
        {
          models: {
            byStep: { classify: answer, keywords: 'refund, days', summary: 'A question.' },
            default: 'Final answer.',
          },
        },
      );
      expect(local).toMatchObject({ ok: true });
      expect(asl).toEqual(local);
    }
  });

  const kb = memoryKnowledgeBase([
    { text: 'Refunds take 14 days.', source: 's3://docs/refunds.md' },
    { text: 'Refunds need a receipt.' },
    { text: 'Shipping is free.', source: 'doc-7' },
  ]);

  it('runs retrieve, task, transform and map with every model family', async () => {
    const chain = defineChain({
      name: 'kinds',
      steps: [
        retrieve('docs', { knowledgeBaseId: 'KB1', query: 'refunds {{input.topic}}', topK: 2 }),
        task('lookup', {
          handler: 'lookup',
          input: { id: 'input.id', label: "It's {{input.topic}}", n: 3, none: null },
        }),
        task('plain', { handler: 'echo' }),
        transform('shape', {
          set: {
            first: 'steps.docs.results[0].text',
            count: 'steps.lookup.count',
            nested: { tag: 'x {{steps.lookup.count}}' },
          },
        }),
        map('each', {
          items: 'input.items',
          maxConcurrency: 2,
          steps: [
            invoke('mistral', { model: MISTRAL, prompt: 'Item {{index}}: {{item.name}}' }),
            invoke('json', { model: LLAMA, prompt: '{{item | json}}', prefill: '{', output: 'json' }),
          ],
        }),
      ],
      output: { docs: 'steps.docs.results', each: 'steps.each', shape: 'steps.shape', plain: 'steps.plain' },
    });
    const warnings: string[] = [];
    const { local, asl } = await runBoth(
      chain,
      { topic: 'eu', id: 'c-1', items: [{ name: 'a' }, { name: 'b' }] },
      {
        models: { byStep: { mistral: 'ok', json: '"k": 1}' } },
        knowledgeBases: { KB1: kb },
        handlers: { lookup: (input) => ({ count: 2, got: input }), echo: (input) => input },
        compile: { onWarning: (warning) => warnings.push(warning.code) },
      },
    );
    expect(local).toMatchObject({ ok: true });
    expect(asl).toEqual(local);
    expect(warnings).toEqual(['unbounded-output']);
  });

  it('runs split: the variant Step Functions draws runs as runtime-local runs it', async () => {
    const chain = defineChain({
      name: 'ab',
      steps: [
        split('exp', {
          a: { weight: 1, steps: [transform('styleA', { set: { style: 'short' } })] },
          b: { weight: 3, steps: [transform('styleB', { set: { style: 'long {{input.x}}' } })] },
          c: { weight: 1, steps: [] },
        }),
      ],
    });
    const seen = new Set<string>();
    for (let run = 0; run < 12; run++) {
      const { asl } = await runBoth(chain, { x: 1 }, { models: {} });
      if (!asl.ok) throw new Error(asl.message);
      const variant = (asl.output as { variant: string }).variant;
      seen.add(variant);
      // The local draw that lands in the middle of that variant's share.
      const draw = ({ a: 0.5, b: 2.5, c: 4.5 } as Record<string, number>)[variant]! / 5;
      const { local } = await runBoth(chain, { x: 1 }, { models: {}, random: () => draw });
      expect(asl).toEqual(local);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('retries after scripted throttling, and catches into fallbacks', async () => {
    const chain = defineChain({
      name: 'policies',
      steps: [
        invoke('flaky', {
          model: HAIKU,
          prompt: 'Hi',
          policy: { retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 3, intervalSeconds: 1 } },
        }),
        invoke('doomed', {
          model: HAIKU,
          prompt: 'Hi',
          policy: {
            retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 1 },
            catch: {
              errors: ['States.ALL'],
              fallback: [transform('plan', { set: { a: 1 } }), transform('planB', { set: { used: 'steps.plan.a' } })],
            },
          },
        }),
        task('broken', {
          handler: 'broken',
          policy: { catch: { errors: ['States.TaskFailed'], fallback: [] } },
        }),
        choose('after', [when(eq('steps.broken', null), [transform('wasNull', { set: { yes: true } })])], [], {
          policy: { catch: { errors: ['States.ALL'], fallback: [] } },
        }),
      ],
    });
    const { local, asl } = await runBoth(
      chain,
      {},
      {
        models: { byStep: { flaky: { text: 'made it', throttle: 2 }, doomed: { text: 'never', throttle: 5 } } },
        handlers: {
          broken: () => {
            throw Object.assign(new Error('nope'), { name: 'OfferError' });
          },
        },
      },
    );
    expect(local).toMatchObject({ ok: true });
    expect(asl).toEqual(local);
  });

  it('fails with the same ASL error name when nothing catches', async () => {
    const chain = defineChain({
      name: 'fails',
      steps: [
        invoke('flaky', {
          model: HAIKU,
          prompt: 'Hi',
          policy: { retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 1 } },
        }),
      ],
    });
    const { local, asl } = await runBoth(chain, {}, { models: { byStep: { flaky: { text: 'x', throttle: 3 } } } });
    expect(local).toMatchObject({ ok: false, error: 'Bedrock.ThrottlingException' });
    expect(asl).toMatchObject({ ok: false, error: 'Bedrock.ThrottlingException' });
  });
});
