import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { and, eq, gt, isTrue } from '../condition/builders';
import type { RetrievalResult } from '../model/knowledge-base';
import type { ModelUsage } from '../model/model-provider';
import type { ChainEndEvent, ChainEvent } from '../runtime/chain-event';
import type { ChainResult, ChainRuntime } from '../runtime/chain-runtime';
import { choose, when } from '../steps/choose';
import { invoke } from '../steps/invoke';
import { map } from '../steps/map';
import { parallel } from '../steps/parallel';
import { respond } from '../steps/respond';
import { retrieve } from '../steps/retrieve';
import { split } from '../steps/split';
import { task } from '../steps/task';
import { transform } from '../steps/transform';
import type { Chain, ChainInput, ChainOutput } from './chain';
import { defineChain } from './define-chain';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
declare const runtime: ChainRuntime;

type Text = { text: string; usage: ModelUsage };

const input = z.object({
  question: z.string(),
  tier: z.enum(['free', 'gold']),
  documents: z.array(z.object({ title: z.string(), body: z.string() })).default([]),
});

const everything = defineChain({
  name: 'everything',
  input,
  steps: [
    parallel('analyze', {
      keywords: [invoke('keywords', { model: HAIKU, prompt: '{{input.question}}' })],
      needsDocs: [invoke('needsDocs', { model: HAIKU, prompt: '{{input.question}}', output: 'boolean' })],
    }),
    choose('context', [
      when(isTrue('steps.analyze.needsDocs.value'), [
        retrieve('docs', {
          knowledgeBaseId: 'KB12345678',
          query: '{{input.question}}',
          policy: { catch: { errors: ['States.ALL'], fallback: [transform('noDocs', { set: { note: 'none' } })] } },
        }),
      ]),
    ]),
    task('lookup', {
      handler: 'lookup',
      input: { tier: 'input.tier' },
      output: z.object({ plan: z.string(), seats: z.number() }),
    }),
    task('opaque', { handler: 'opaque' }),
    map('summaries', {
      items: 'input.documents',
      steps: [transform('entry', { set: { title: 'item.title', at: 'index', seats: 'steps.lookup.seats' } })],
    }),
    split('experiment', {
      short: { weight: 1, steps: [transform('shortStyle', { set: { style: 'short' } })] },
      long: { weight: 1, steps: [invoke('outline', { model: HAIKU, prompt: '{{input.question}}', output: 'json' })] },
      none: { weight: 1, steps: [] },
    }),
    choose(
      'route',
      [when(and(eq('input.tier', 'gold'), gt('steps.lookup.seats', 10)), [transform('vip', { set: { lane: 'vip' } })])],
      [transform('standard', { set: { lane: 'standard', limit: 3 } })],
    ),
    respond('answer', { model: HAIKU, prompt: '{{input.question}}' }),
  ],
  output: {
    keywords: 'steps.analyze.keywords.text',
    needsDocs: 'steps.analyze.needsDocs.value',
    context: 'steps.context',
    plan: 'steps.lookup.plan',
    opaque: 'steps.opaque.anything.below',
    first: 'steps.summaries[0].title',
    variant: 'steps.experiment.variant',
    lane: 'steps.route.lane',
    answer: 'steps.answer.text',
    label: 'Q: {{input.question}}',
    constant: 'gold',
    nested: { count: 2, flag: true, none: null, tier: 'input.tier' },
  },
});

describe('the output type follows the chain', () => {
  type Output = ChainOutput<typeof everything>;
  it('types each step kind as decision 0001 says', () => {
    expectTypeOf<Output['keywords']>().toEqualTypeOf<string>();
    expectTypeOf<Output['needsDocs']>().toEqualTypeOf<boolean>();
    // choose without otherwise: the case's last output (retrieve, or its fallback) or null
    expectTypeOf<Output['context']>().toEqualTypeOf<{ results: RetrievalResult[] } | { note: 'none' } | null>();
    // a task with an output schema, and one without
    expectTypeOf<Output['plan']>().toEqualTypeOf<string>();
    expectTypeOf<Output['opaque']>().toEqualTypeOf<unknown>();
    expectTypeOf<Output['first']>().toEqualTypeOf<string>();
    expectTypeOf<Output['variant']>().toEqualTypeOf<'short' | 'long' | 'none'>();
    expectTypeOf<Output['lane']>().toEqualTypeOf<'vip' | 'standard'>();
    expectTypeOf<Output['answer']>().toEqualTypeOf<string>();
    expectTypeOf<Output['label']>().toEqualTypeOf<string>();
    expectTypeOf<Output['constant']>().toEqualTypeOf<'gold'>();
    expectTypeOf<Output['nested']>().toEqualTypeOf<{ count: 2; flag: true; none: null; tier: 'free' | 'gold' }>();
  });
  it('without an output spec, is the last step that is not respond', () => {
    const chain = defineChain({
      name: 'last',
      steps: [
        map('each', {
          items: 'input.items',
          steps: [invoke('one', { model: HAIKU, prompt: '{{item}}', output: 'boolean' })],
        }),
        respond('answer', { model: HAIKU, prompt: '{{steps.each | json}}' }),
      ],
    });
    expectTypeOf<ChainOutput<typeof chain>>().toEqualTypeOf<{ text: string; value: boolean; usage: ModelUsage }[]>();
    const split2 = defineChain({
      name: 'split',
      steps: [
        split('ab', {
          a: { weight: 1, steps: [invoke('x', { model: HAIKU, prompt: 'x' })] },
          b: { weight: 1, steps: [] },
        }),
      ],
    });
    expectTypeOf<ChainOutput<typeof split2>>().toEqualTypeOf<{ variant: 'a' | 'b'; output: Text | null }>();
    const onlyRespond = defineChain({ name: 'r', steps: [respond('answer', { model: HAIKU, prompt: 'hi' })] });
    expectTypeOf<ChainOutput<typeof onlyRespond>>().toEqualTypeOf<null>();
  });
  it('is unknown where the steps are not known', () => {
    const steps = [transform('a', { set: { x: 1 } })];
    const chain = defineChain({ name: 'array', steps });
    expectTypeOf<ChainOutput<typeof chain>>().toEqualTypeOf<unknown>();
  });
});

describe('runtimes and results take the chain types', () => {
  it('run accepts only the chain input and resolves with its output', async () => {
    const result = await runtime.run(everything, { question: 'Why?', tier: 'gold' });
    expectTypeOf(result).toEqualTypeOf<ChainResult<ChainOutput<typeof everything>>>();
    expectTypeOf(result.output.lane).toEqualTypeOf<'vip' | 'standard'>();
    expectTypeOf<ChainInput<typeof everything>>().toEqualTypeOf<{
      question: string;
      tier: 'free' | 'gold';
      documents?: { title: string; body: string }[] | undefined;
    }>();
    // @ts-expect-error: "tier" must be "free" or "gold"
    await runtime.run(everything, { question: 'Why?', tier: 'platinum' });
    // @ts-expect-error: a typo in the input object
    await runtime.run(everything, { qestion: 'Why?', tier: 'gold' });
    // @ts-expect-error: the input is required and typed
    await runtime.run(everything, 42);
  });
  it('stream accepts only the chain input; chain-end carries the output type', async () => {
    const events = runtime.stream(everything, { question: 'Why?', tier: 'free' });
    expectTypeOf(events).toEqualTypeOf<AsyncIterable<ChainEvent<ChainOutput<typeof everything>>>>();
    for await (const event of events) {
      if (event.type === 'chain-end') {
        expectTypeOf(event).toEqualTypeOf<ChainEndEvent<ChainOutput<typeof everything>>>();
        expectTypeOf(event.output.constant).toEqualTypeOf<'gold'>();
      }
    }
    // @ts-expect-error: a missing field
    runtime.stream(everything, { tier: 'free' });
  });
  it('an untyped chain takes and gives unknown', async () => {
    const chain: Chain = everything;
    const result = await runtime.run(chain, { anything: true });
    expectTypeOf(result.output).toEqualTypeOf<unknown>();
  });
});

describe('paths that cannot exist do not compile', () => {
  it('refuses a typo in a condition path (step id or key)', () => {
    defineChain({
      // @ts-expect-error: Step "route": path "steps.needsDocs.valeu" cannot exist here
      name: 'condition-key',
      steps: [
        invoke('needsDocs', { model: HAIKU, prompt: 'x', output: 'boolean' }),
        choose('route', [when(isTrue('steps.needsDocs.valeu'), [transform('a', { set: { a: 1 } })])]),
      ],
    });
    defineChain({
      // @ts-expect-error: Step "route": path "steps.needDocs.value" cannot exist here
      name: 'condition-id',
      steps: [
        invoke('needsDocs', { model: HAIKU, prompt: 'x', output: 'boolean' }),
        choose('route', [when(isTrue('steps.needDocs.value'), [transform('a', { set: { a: 1 } })])]),
      ],
    });
    defineChain({
      name: 'condition-ok',
      steps: [
        invoke('needsDocs', { model: HAIKU, prompt: 'x', output: 'boolean' }),
        choose('route', [when(isTrue('steps.needsDocs.value'), [transform('a', { set: { a: 1 } })])]),
      ],
    });
  });
  it('refuses a step that has not run yet (scope)', () => {
    defineChain({
      // @ts-expect-error: "later" runs after "early"
      name: 'scope',
      steps: [transform('early', { set: { x: 'steps.later.y' } }), transform('later', { set: { y: 1 } })],
    });
  });
  it('refuses typos in value paths, map.items, messages.from and the output', () => {
    defineChain({
      // @ts-expect-error: input has no "qestion"
      name: 'value',
      input,
      steps: [transform('a', { set: { q: 'input.qestion' } })],
    });
    defineChain({
      // @ts-expect-error: task input reads a key the transform does not build
      name: 'task-input',
      steps: [transform('a', { set: { x: 1 } }), task('t', { handler: 'h', input: { y: 'steps.a.y' } })],
    });
    defineChain({
      // @ts-expect-error: input has no "document"
      name: 'items',
      input,
      steps: [map('m', { items: 'input.document', steps: [transform('a', { set: { t: 'item.title' } })] })],
    });
    defineChain({
      // @ts-expect-error: item has no "titel"
      name: 'item',
      input,
      steps: [map('m', { items: 'input.documents', steps: [transform('a', { set: { t: 'item.titel' } })] })],
    });
    defineChain({
      // @ts-expect-error: input has no "histroy"
      name: 'messages',
      input: z.object({ history: z.array(z.object({ role: z.string(), content: z.string() })) }),
      steps: [respond('answer', { model: HAIKU, messages: { from: 'input.histroy' } })],
    });
    defineChain({
      // @ts-expect-error: Chain output: "steps.a.text" is not built by "a"
      name: 'output',
      steps: [transform('a', { set: { x: 1 } })],
      output: { x: 'steps.a.text' },
    });
  });
  it('lets any path below unknown parts through', () => {
    defineChain({
      name: 'unknown',
      steps: [
        task('t', { handler: 'h' }),
        invoke('j', { model: HAIKU, prompt: 'x', output: 'json' }),
        transform('a', { set: { x: 'steps.t.any.path[3].below', y: 'steps.j.value.whatever', z: 'input.free' } }),
      ],
    });
  });
});
