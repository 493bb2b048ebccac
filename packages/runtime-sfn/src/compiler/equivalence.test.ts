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
    if (!asl.ok || !local.ok) throw new Error('both sides should succeed');
    const { usage: aslUsage, ...aslRest } = asl;
    const { usage: localUsage, ...localRest } = local;
    expect(aslRest).toEqual(localRest);
    expect(aslUsage.byModel[LLAMA]).toEqual(localUsage.byModel[LLAMA]);
    // Mistral's InvokeModel body carries no token counts: Step Functions cannot see them.
    expect(aslUsage.byModel[MISTRAL]).toEqual({ inputTokens: 0, outputTokens: 0 });
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

  it('renders numbers in templates as Step Functions prints them (Java doubles), on both sides', async () => {
    const chain = defineChain({
      name: 'numbers',
      steps: [transform('text', { set: { line: 'v={{input.x}} w={{input.y}} j={{input.xs | json}}' } })],
    });
    const input = { x: 1e-7, y: 12345678.5, xs: [1e21, 0.25, 7, 2e-9] };
    const { local, asl } = await runBoth(chain, input, { models: {} });
    expect(local).toMatchObject({ ok: true, output: { line: 'v=1.0E-7 w=1.23456785E7 j=[1.0E21,0.25,7,2.0E-9]' } });
    expect(asl).toEqual(local);
  });

  it('runs split: the same random source picks the same variant on both sides, at the weight boundaries too', async () => {
    const chain = defineChain({
      name: 'ab-boundaries',
      steps: [
        split('exp', {
          a: { weight: 1, steps: [transform('styleA', { set: { style: 'a' } })] },
          b: { weight: 2, steps: [transform('styleB', { set: { style: 'b' } })] },
          c: { weight: 3, steps: [] },
        }),
      ],
    });
    // 1/6 and 1/2 are the cumulative shares; the values around them land exactly on or next to a threshold.
    for (const draw of [0, 1 / 6, 1 / 6 - 1e-7, 0.3333333333333333, 0.5, 0.5 - 1e-6, 0.5 + 1e-6, 0.9999999999]) {
      const { local, asl } = await runBoth(chain, {}, { models: {}, random: () => draw });
      expect(asl, `random ${draw}`).toEqual(local);
    }
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

  it('counts the tokens of every model call: branches, iterations, nesting, cases, variants and fallbacks', async () => {
    const chain = defineChain({
      name: 'usage',
      steps: [
        parallel('enrich', {
          // An invoke that is not the branch's last step.
          keywords: [
            invoke('keywords', { model: HAIKU, prompt: 'Keywords: {{input.q}}' }),
            transform('keywordList', { set: { list: 'steps.keywords.text' } }),
          ],
          // A map in a parallel in a map, each iteration ending with a transform.
          outer: [
            map('groups', {
              items: 'input.groups',
              steps: [
                parallel('inner', {
                  notes: [
                    map('perItem', {
                      items: 'item.items',
                      steps: [
                        invoke('note', { model: NOVA, prompt: 'Note {{item}}' }),
                        transform('noted', { set: { note: 'steps.note.text' } }),
                      ],
                    }),
                  ],
                  title: [invoke('title', { model: LLAMA, prompt: 'Title {{index}}' })],
                }),
                transform('group', { set: { notes: 'steps.inner.notes', title: 'steps.inner.title.text' } }),
              ],
            }),
          ],
          // Iterations ending with a task, with two model calls, and with a parallel as their only step.
          more: [
            map('stored', {
              items: 'input.groups',
              steps: [
                invoke('ask', { model: HAIKU, prompt: 'Ask {{index}}' }),
                task('store', { handler: 'echo', input: { text: 'steps.ask.text' } }),
              ],
            }),
            map('pairs', {
              items: 'input.groups',
              steps: [
                invoke('first', { model: NOVA, prompt: 'First' }),
                invoke('second', { model: LLAMA, prompt: 'Second {{steps.first.text}}' }),
              ],
            }),
            map('only', {
              items: 'input.groups',
              steps: [
                parallel('both', {
                  x: [invoke('px', { model: HAIKU, prompt: 'X' })],
                  y: [transform('py', { set: { y: 'item.items' } })],
                }),
              ],
            }),
          ],
          // choose and split inside a branch, then an invoke whose catch falls back to another model call.
          routed: [
            choose(
              'route',
              [when(eq('input.q', 'refunds'), [invoke('refund', { model: HAIKU, prompt: 'Refund' })])],
              [transform('other', { set: { x: 1 } })],
            ),
            split('exp', {
              a: { weight: 1, steps: [invoke('styleA', { model: NOVA, prompt: 'A' })] },
              b: { weight: 1, steps: [invoke('styleB', { model: NOVA, prompt: 'B' })] },
            }),
            invoke('risky', {
              model: HAIKU,
              prompt: 'Risky',
              policy: {
                catch: {
                  errors: ['States.ALL'],
                  fallback: [
                    invoke('rescue', { model: LLAMA, prompt: 'Rescue' }),
                    transform('rescued', { set: { text: 'steps.rescue.text' } }),
                  ],
                },
              },
            }),
            transform('done', { set: { route: 'steps.route', exp: 'steps.exp.variant', risky: 'steps.risky' } }),
          ],
        }),
        // A top-level catch whose fallback calls a model last.
        task('lookup', {
          handler: 'broken',
          policy: {
            catch: {
              errors: ['States.ALL'],
              fallback: [
                transform('why', { set: { why: 'broken' } }),
                invoke('guess', { model: NOVA, prompt: 'Guess {{steps.why.why}}' }),
              ],
            },
          },
        }),
      ],
      output: { enrich: 'steps.enrich', lookup: 'steps.lookup.text', summary: '{{steps.enrich.keywords.list}}' },
    });
    const { local, asl } = await runBoth(
      chain,
      { q: 'refunds', groups: [{ items: ['a', 'b'] }, { items: [] }, { items: ['c'] }] },
      {
        models: {
          byStep: { risky: { fail: 'Bedrock.ModelErrorException' } },
          byModel: { [HAIKU]: 'haiku says', [NOVA]: 'nova says', [LLAMA]: 'llama says' },
        },
        handlers: {
          broken: () => {
            throw Object.assign(new Error('nope'), { name: 'LookupError' });
          },
          echo: (input) => input,
        },
        random: () => 0.75,
      },
    );
    expect(local).toMatchObject({ ok: true });
    expect(asl).toEqual(local);
    if (!local.ok) throw new Error('unreachable');
    // keywords, title x3, note x3, ask x3, first x3, second x3, px x3, refund, styleB, risky's rescue, guess.
    expect(Object.keys(local.usage.byModel).sort()).toEqual([HAIKU, LLAMA, NOVA].sort());
  });

  it('fails a boolean invoke whose answer is JSON but not true or false with States.Runtime, past retry and catch', async () => {
    const check = (answer: string) =>
      runBoth(
        defineChain({
          name: 'boolean',
          steps: [
            invoke('check', {
              model: HAIKU,
              prompt: 'True?',
              output: 'boolean',
              policy: {
                retry: { errors: ['States.ALL'], maxAttempts: 2 },
                catch: { errors: ['States.ALL'], fallback: [transform('never', { set: { x: 1 } })] },
              },
            }),
            // Claude takes a blank prefill (Nova refuses a blank assistant turn, as Bedrock does).
            invoke('prefilled', { model: HAIKU, prompt: 'True?', prefill: ' ', output: 'boolean' }),
          ],
        }),
        {},
        { models: { byStep: { check: answer, prefilled: answer } } },
      );
    for (const answer of ['1', '"yes"', 'null', '"true"', '[true]', '{}', 'maybe']) {
      const { local, asl } = await check(answer);
      expect(local, answer).toMatchObject({ ok: false, error: 'States.Runtime' });
      expect(asl, answer).toMatchObject({ ok: false, error: 'States.Runtime' });
    }
    for (const answer of ['true', 'false', ' true\n']) {
      const { local, asl } = await check(answer);
      expect(local).toMatchObject({ ok: true });
      expect(asl).toEqual(local);
    }
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
