import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defineChain, invoke, respond } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENTRIES, startTestServer } from './helpers/start-test-server';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const chain = defineChain({
  name: 'traced',
  steps: [
    invoke('topic', { model: HAIKU, prompt: 'Topic of {{input.question}}' }),
    respond('answer', { model: HAIKU, prompt: '{{input.question}}' }),
  ],
});

describe.each(ENTRIES)('%s: an incoming traceparent', (entry) => {
  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterEach(() => exporter.reset());
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  for (const route of ['invoke', 'stream'] as const) {
    it(`is continued by the run of /${route}: the run span is the caller span's child, its steps and calls below`, async () => {
      const runtime = createLocalRuntime({ models: fakeModels({ byStep: { topic: 'Tides', answer: 'The moon.' } }) });
      const server = await startTestServer({ runtime, chains: [chain] }, { entry });
      try {
        const response = await fetch(`${server.url}/v1/chains/traced/${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
          body: JSON.stringify({ input: { question: 'Why tides?' } }),
        });
        expect(response.status).toBe(200);
        await response.text();
      } finally {
        await server.close();
      }
      const spans = exporter.getFinishedSpans();
      const run = spans.find((span) => span.name === 'invoke_workflow traced');
      expect(run?.spanContext().traceId).toBe(TRACE_ID);
      expect(run?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
      expect(spans.every((span) => span.spanContext().traceId === TRACE_ID)).toBe(true);
      expect(spans.map((span) => span.name).sort()).toEqual(
        ['invoke_workflow traced', 'step topic', 'step answer', `chat ${HAIKU}`, `chat ${HAIKU}`].sort(),
      );
    });
  }

  it('leaves a request without the header in a trace of its own', async () => {
    const runtime = createLocalRuntime({ models: fakeModels({ byStep: { topic: 'Tides', answer: 'The moon.' } }) });
    const server = await startTestServer({ runtime, chains: [chain] }, { entry });
    try {
      const response = await fetch(`${server.url}/v1/chains/traced/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { question: 'Why tides?' } }),
      });
      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
    const run = exporter.getFinishedSpans().find((span) => span.name === 'invoke_workflow traced');
    expect(run).toBeDefined();
    expect(run?.spanContext().traceId).not.toBe(TRACE_ID);
    expect(run?.parentSpanContext).toBe(undefined);
  });
});
