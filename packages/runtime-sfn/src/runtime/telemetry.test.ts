import { context, type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  type Chain,
  type ChainRuntime,
  choose,
  defineChain,
  invoke,
  isTrue,
  type ModelProvider,
  map,
  parallel,
  respond,
  retrieve,
  split,
  transform,
  when,
} from '@stepwise/core';
import { type Emulator, startEmulator } from '@stepwise/emulator';
import { createLocalRuntime, type FakeModelsOptions, fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSfnRuntime } from './create-sfn-runtime';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const traced = defineChain({
  name: 'traced',
  steps: [
    invoke('classify', { model: HAIKU, prompt: 'Billing? {{input.question}}', output: 'boolean' }),
    choose('route', [
      when(isTrue('steps.classify.value'), [
        parallel('enrich', {
          keywords: [invoke('keywords', { model: NOVA, prompt: 'Keywords: {{input.question}}' })],
          docs: [retrieve('docs', { knowledgeBaseId: 'KB12345678', query: '{{input.question}}', topK: 1 })],
        }),
      ]),
    ]),
    map('notes', {
      items: 'input.items',
      steps: [
        transform('line', { set: { text: 'about {{item}}' } }),
        invoke('summary', { model: HAIKU, prompt: 'Summarise {{steps.line.text}}' }),
      ],
    }),
    split('tone', {
      warm: { weight: 1, steps: [transform('warmth', { set: { style: 'warm' } })] },
      plain: { weight: 1, steps: [transform('plainness', { set: { style: 'plain' } })] },
    }),
    respond('answer', { model: HAIKU, system: 'Be brief.', prompt: '{{input.question}}' }),
  ],
});

const retried = defineChain({
  name: 'retried',
  steps: [
    invoke('busy', {
      model: HAIKU,
      prompt: 'Hello {{input.question}}',
      policy: { retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 2 } },
    }),
    transform('after', { set: { done: true } }),
  ],
});

const failing = defineChain({
  name: 'failing',
  steps: [
    parallel('both', {
      fine: [transform('fine', { set: { ok: true } })],
      broken: [invoke('broken', { model: HAIKU, prompt: 'Hi {{input.question}}' })],
    }),
  ],
});

const input = { question: 'Why was I charged twice?', items: ['a', 'b'] };
const fakes: FakeModelsOptions = {
  byStep: {
    classify: 'true',
    keywords: 'double charge',
    summary: 'short',
    answer: 'Sorry about the double charge.',
    busy: { text: 'ok', throttle: 1 },
    broken: { fail: 'ValidationException' },
  },
};
const knowledgeBases = () => ({
  KB12345678: memoryKnowledgeBase([{ text: 'Double charges are refunded.', source: 's3://kb/refunds.md' }]),
});
const random = () => 0.2;

/** What two runtimes must agree on: a span's name, kind, status and key attributes, and its children's. */
interface Node {
  name: string;
  kind: number;
  status: number;
  attributes: Record<string, unknown>;
  children: Node[];
}

const KEYS = [
  'stepwise.chain',
  'stepwise.step.id',
  'stepwise.step.type',
  'stepwise.step.attempts',
  'stepwise.step.variant',
  'gen_ai.operation.name',
  'gen_ai.workflow.name',
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.request.stream',
  'gen_ai.request.top_k',
  'gen_ai.data_source.id',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'stepwise.usage.input_tokens',
  'stepwise.usage.output_tokens',
  'error.type',
];

function tree(spans: ReadableSpan[], root: ReadableSpan): Node {
  const children = spans
    .filter((span) => span.parentSpanContext?.spanId === root.spanContext().spanId)
    .map((span) => tree(spans, span))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const attributes: Record<string, unknown> = {};
  for (const key of KEYS) if (root.attributes[key] !== undefined) attributes[key] = root.attributes[key];
  return { name: root.name, kind: root.kind, status: root.status.code, attributes, children };
}

/** Runs the chain under a caller span and returns the run span's tree, checking the run span's parent. */
async function spanTree(runtime: ChainRuntime, chain: Chain, runInput: unknown, streamed: boolean) {
  exporter.reset();
  const caller = trace.getTracer('test');
  await caller.startActiveSpan('request', async (request: Span) => {
    try {
      if (streamed) {
        for await (const _event of runtime.stream(chain, runInput)) {
          // drain
        }
      } else {
        await runtime.run(chain, runInput);
      }
    } catch {
      // failures are in the spans
    }
    request.end();
  });
  const spans = exporter.getFinishedSpans();
  const run = spans.find((span) => span.name === `invoke_workflow ${chain.name}`)!;
  const request = spans.find((span) => span.name === 'request')!;
  expect(run.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  return { tree: tree(spans, run), spans, run };
}

const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

describe('the same span tree on runtime-local and runtime-sfn (emulator)', () => {
  let emulator: Emulator;
  const local = () => createLocalRuntime({ models: fakeModels(fakes), knowledgeBases: knowledgeBases(), random });
  let sfn: ChainRuntime;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    emulator = await startEmulator({
      models: fakeModels(fakes),
      knowledgeBases: knowledgeBases(),
      retryDelayMs: 0,
      random,
    });
    sfn = createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-telemetry',
    });
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await emulator.close();
    trace.disable();
    context.disable();
  });

  it('gives run, step, nested step and call spans alike, with real times on Step Functions', async () => {
    const onLocal = await spanTree(local(), traced, input, true);
    const onSfn = await spanTree(sfn, traced, input, true);
    expect(onSfn.tree).toEqual(onLocal.tree);

    // The tree itself: steps under the run, nested steps under their container, calls under their step.
    const names = (node: Node): unknown => [node.name, node.children.map(names)];
    expect(names(onLocal.tree)).toEqual([
      'invoke_workflow traced',
      [
        ['step answer', [[`chat ${HAIKU}`, []]]],
        ['step classify', [[`chat ${HAIKU}`, []]]],
        [
          'step notes',
          [
            ['step line', []],
            ['step line', []],
            ['step summary', [[`chat ${HAIKU}`, []]]],
            ['step summary', [[`chat ${HAIKU}`, []]]],
          ],
        ],
        [
          'step route',
          [
            [
              'step enrich',
              [
                ['step docs', [['retrieval KB12345678', []]]],
                ['step keywords', [[`chat ${NOVA}`, []]]],
              ],
            ],
          ],
        ],
        ['step tone', [['step warmth', []]]],
      ],
    ]);

    const run = onSfn.run;
    expect(run.attributes['stepwise.sfn.execution_arn']).toMatch(/^arn:aws:states:us-east-1:\d+:express:traced:/);
    expect(run.attributes['aws.step_functions.state_machine.arn']).toMatch(/:stateMachine:traced$/);
    const step = (id: string) =>
      onSfn.spans.filter((span) => span.name === `step ${id}`).map((span) => span as ReadableSpan);
    // Main-path steps carry the times the execution recorded, in order, within the run.
    const order = ['classify', 'route', 'notes', 'tone'].map((id) => step(id)[0]!);
    for (const span of order) {
      expect(span.attributes['stepwise.timing']).toBe('recorded');
      expect(ms(span.startTime)).toBeGreaterThanOrEqual(ms(run.startTime) - 1);
      expect(ms(span.endTime)).toBeLessThanOrEqual(ms(run.endTime) + 1);
      expect(ms(span.endTime)).toBeGreaterThanOrEqual(ms(span.startTime));
    }
    for (let index = 1; index < order.length; index++) {
      expect(ms(order[index]!.startTime)).toBeGreaterThanOrEqual(ms(order[index - 1]!.startTime));
      expect(ms(order[index]!.startTime)).toBe(ms(order[index - 1]!.endTime));
    }
    expect(step('enrich')[0]!.attributes['stepwise.timing']).toBe('recorded');
    expect(step('keywords')[0]!.attributes['stepwise.timing']).toBe('enclosing');
    expect(step('answer')[0]!.attributes['stepwise.timing']).toBe(undefined);
  });

  it('gives each attempt of a retried call a span on both runtimes', async () => {
    const onLocal = await spanTree(
      createLocalRuntime({
        models: fakeModels(fakes),
        clock: { now: () => Date.now(), setTimeout: (callback) => setTimeout(callback, 0), clearTimeout },
      }),
      retried,
      input,
      false,
    );
    const onSfn = await spanTree(sfn, retried, input, false);
    expect(onSfn.tree).toEqual(onLocal.tree);
    const busy = onLocal.tree.children.find((node) => node.name === 'step busy')!;
    expect(busy.attributes['stepwise.step.attempts']).toBe(2);
    expect(busy.children.map((node) => [node.status, node.attributes['error.type']])).toEqual([
      [0, undefined],
      [2, 'Bedrock.ThrottlingException'],
    ]);
  });

  it("keeps a provider respond's call span active while the provider opens its stream", async () => {
    const elsewhere = defineChain({
      name: 'elsewhere',
      steps: [respond('answer', { model: 'openai:gpt-4o-mini', prompt: '{{input.question}}' })],
    });
    const fakes = fakeModels({ byStep: { answer: 'Hello from elsewhere.' } });
    const seen: Array<string | undefined> = [];
    const models: ModelProvider = {
      specificationVersion: 'v1',
      provider: 'watching',
      doInvoke: (request, options) => fakes.doInvoke(request, options),
      doStream: (request, options) => {
        seen.push((trace.getActiveSpan() as unknown as ReadableSpan | undefined)?.name);
        return fakes.doStream(request, options);
      },
    };
    const runtime = createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-telemetry',
      models,
    });
    const result = await runtime.run(elsewhere, { question: 'Hi?' });
    expect(result.text).toBe('Hello from elsewhere.');
    expect(seen).toEqual(['chat gpt-4o-mini']);
  });

  it('fails the run, the failed step and its containers alike, with the ASL error name', async () => {
    const onLocal = await spanTree(local(), failing, input, true);
    const onSfn = await spanTree(sfn, failing, input, true);
    // Step Functions reports no step of a failed execution but the one that failed: `fine` is local's only.
    const withoutFine = (node: Node): Node => ({
      ...node,
      children: node.children.filter((child) => child.name !== 'step fine').map(withoutFine),
    });
    expect(onSfn.tree).toEqual(withoutFine(onLocal.tree));
    expect(onLocal.tree).toMatchObject({
      status: 2,
      attributes: { 'error.type': 'Bedrock.ValidationException' },
      children: [
        {
          name: 'step both',
          status: 2,
          children: expect.arrayContaining([
            {
              name: 'step broken',
              kind: 0,
              status: 2,
              attributes: expect.objectContaining({ 'error.type': 'Bedrock.ValidationException' }),
              children: [expect.objectContaining({ name: `chat ${HAIKU}`, kind: 2, status: 2 })],
            },
          ]),
        },
      ],
    });
  });
});
