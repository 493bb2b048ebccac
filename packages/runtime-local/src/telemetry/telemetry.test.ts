import { context, type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  defineChain,
  invoke,
  type ModelProvider,
  map,
  parallel,
  respond,
  retrieve,
  StepFailedError,
  transform,
} from '@stepwise/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeModels } from '../fake/fake-models';
import { memoryKnowledgeBase } from '../knowledge/memory-knowledge-base';
import { createLocalRuntime } from '../runtime/create-local-runtime';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterEach(() => exporter.reset());
afterAll(() => {
  trace.disable();
  context.disable();
});

const chain = defineChain({
  name: 'traced',
  steps: [
    invoke('classify', { model: HAIKU, prompt: 'Billing? {{input.question}}', output: 'boolean' }),
    parallel('enrich', {
      keywords: [invoke('keywords', { model: 'openai:gpt-4o-mini', prompt: 'Keywords: {{input.question}}' })],
      docs: [retrieve('docs', { knowledgeBaseId: 'KB1', query: '{{input.question}}', topK: 2 })],
    }),
    map('notes', {
      items: 'input.items',
      steps: [transform('note', { set: { line: 'item {{item}}' } })],
    }),
    respond('answer', { model: HAIKU, system: 'Be brief.', prompt: '{{input.question}}' }),
  ],
});

const input = { question: 'Why was I charged twice?', items: ['a', 'b'] };
const models = () =>
  fakeModels({
    byStep: { classify: 'true', keywords: 'charge', answer: 'Sorry about that.' },
  });
const knowledgeBases = {
  KB1: memoryKnowledgeBase([{ text: 'Double charges are refunded.', source: 's3://kb/refunds' }]),
};

function byName(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

function parentOf(spans: ReadableSpan[], span: ReadableSpan): ReadableSpan | undefined {
  return spans.find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId);
}

describe('runtime-local traces', () => {
  it('nests step and call spans under the run span, itself under the caller span', async () => {
    const runtime = createLocalRuntime({ models: models(), knowledgeBases });
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('request', async (request: Span) => {
      await runtime.run(chain, input, { runId: 'run-1' });
      request.end();
    });
    const spans = exporter.getFinishedSpans();
    const caller = byName(spans, 'request');
    const run = byName(spans, 'invoke_workflow traced');
    expect(parentOf(spans, run)).toBe(caller);
    expect(run.attributes).toMatchObject({ 'stepwise.run_id': 'run-1', 'stepwise.runtime': 'local' });

    const expected: Array<[string, string]> = [
      ['step classify', 'invoke_workflow traced'],
      ['step enrich', 'invoke_workflow traced'],
      ['step keywords', 'step enrich'],
      ['step docs', 'step enrich'],
      ['step notes', 'invoke_workflow traced'],
      ['step answer', 'invoke_workflow traced'],
      ['chat gpt-4o-mini', 'step keywords'],
      ['retrieval KB1', 'step docs'],
    ];
    for (const [name, parent] of expected) expect(parentOf(spans, byName(spans, name))?.name, name).toBe(parent);
    const notes = spans.filter((span) => span.name === 'step note');
    expect(notes.map((span) => parentOf(spans, span)?.name)).toEqual(['step notes', 'step notes']);
    const haiku = spans.filter((span) => span.name === `chat ${HAIKU}`);
    expect(haiku.map((span) => parentOf(spans, span)?.name).sort()).toEqual(['step answer', 'step classify']);

    const answer = haiku.find((span) => span.attributes['stepwise.step.id'] === 'answer')!;
    expect(answer.kind).toBe(2);
    expect(answer.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': HAIKU,
      'gen_ai.request.stream': true,
      'stepwise.chain': 'traced',
      'stepwise.run_id': 'run-1',
    });
    expect(answer.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(byName(spans, 'retrieval KB1').attributes).toMatchObject({
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': 'KB1',
      'gen_ai.request.top_k': 2,
    });
    // Off by default: no prompt, answer or query on any span.
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toMatch(/charged twice|Sorry about|Be brief/);
    // Every span ends before its parent (the exporter gets spans as they end), and starts after it (the SDK anchors
    // each span's clock on its own, so start times may differ by a fraction of a millisecond).
    spans.forEach((span, index) => {
      const parent = parentOf(spans, span);
      if (!parent) return;
      expect(spans.indexOf(parent), `${span.name} ends before ${parent.name}`).toBeGreaterThan(index);
      expect(toMs(span.startTime), span.name).toBeGreaterThanOrEqual(toMs(parent.startTime) - 1);
    });
  });

  it('keeps the model-call span active while the provider is called, and records content when asked', async () => {
    const inner = models();
    const active: { [stepId: string]: string | undefined } = {};
    const watching: ModelProvider = {
      ...inner,
      specificationVersion: 'v1',
      provider: inner.provider,
      doInvoke(request, options) {
        active[request.stepId!] = (trace.getActiveSpan() as unknown as ReadableSpan | undefined)?.name;
        return inner.doInvoke(request, options);
      },
      doStream: (request, options) => inner.doStream(request, options),
    };
    const runtime = createLocalRuntime({ models: watching, knowledgeBases, telemetry: { recordContent: true } });
    for await (const _event of runtime.stream(chain, input)) {
      // drain
    }
    expect(active).toEqual({ classify: `chat ${HAIKU}`, keywords: 'chat gpt-4o-mini' });
    const spans = exporter.getFinishedSpans();
    const answer = spans.find((span) => span.attributes['stepwise.step.id'] === 'answer' && span.kind === 2)!;
    expect(JSON.parse(answer.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: input.question }] },
    ]);
    expect(JSON.parse(answer.attributes['gen_ai.output.messages'] as string)[0].parts[0].content).toBe(
      'Sorry about that.',
    );
    expect(byName(spans, 'retrieval KB1').attributes['gen_ai.retrieval.query.text']).toBe(input.question);
  });

  it('gives each attempt of a retried call its own span, and fails the run span with the ASL error name', async () => {
    const retried = defineChain({
      name: 'retried',
      steps: [
        invoke('busy', {
          model: HAIKU,
          prompt: 'Hi',
          policy: { retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 2 } },
        }),
        invoke('broken', { model: HAIKU, prompt: 'Hi' }),
      ],
    });
    const runtime = createLocalRuntime({
      models: fakeModels({ byStep: { busy: { text: 'ok', throttle: 1 }, broken: { fail: 'ValidationException' } } }),
      // Retry delays at once.
      clock: { now: () => Date.now(), setTimeout: (callback) => setTimeout(callback, 0), clearTimeout },
    });
    await expect(runtime.run(retried, {})).rejects.toBeInstanceOf(StepFailedError);
    const spans = exporter.getFinishedSpans();
    const busy = byName(spans, 'step busy');
    expect(busy.attributes['stepwise.step.attempts']).toBe(2);
    expect(busy.status.code).toBe(0);
    const calls = spans.filter((span) => parentOf(spans, span) === busy);
    expect(calls.map((span) => [span.name, span.status.code, span.attributes['error.type']])).toEqual([
      [`chat ${HAIKU}`, 2, 'Bedrock.ThrottlingException'],
      [`chat ${HAIKU}`, 0, undefined],
    ]);
    for (const name of ['step broken', 'invoke_workflow retried']) {
      const span = byName(spans, name);
      expect(span.status).toEqual({ code: 2, message: 'Bedrock.ValidationException' });
      expect(span.attributes['error.type']).toBe('Bedrock.ValidationException');
    }
  });

  it('creates no span with tracing disabled', async () => {
    const runtime = createLocalRuntime({ models: models(), knowledgeBases, telemetry: { enabled: false } });
    await runtime.run(chain, input);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

function toMs([seconds, nanos]: [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}
