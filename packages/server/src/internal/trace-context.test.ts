import { context, propagation, type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defineChain, transform } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTraceContext } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

describe('withTraceContext', () => {
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

  it('continues the trace of an incoming traceparent', () => {
    const span = withTraceContext({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }, () =>
      trace.getTracer('test').startSpan('inside'),
    ) as Span & { parentSpanContext?: { spanId: string } };
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(SPAN_ID);
    span.end();
  });

  it('makes a run started inside it a child of the caller span', async () => {
    const chain = defineChain({ name: 'echo', steps: [transform('copy', { set: { q: 'input.q' } })] });
    const runtime = createLocalRuntime({ models: fakeModels({}) });
    const headers = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=1' };
    await withTraceContext(headers, () => runtime.run(chain, { q: 'hi' }));
    const run = exporter.getFinishedSpans().find((span) => span.name === 'invoke_workflow echo')!;
    expect(run.spanContext().traceId).toBe(TRACE_ID);
    expect(run.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(run.spanContext().traceState?.get('vendor')).toBe('1');
  });

  it('starts a new trace without the header, or with a malformed one', () => {
    for (const headers of [{}, { traceparent: 'not-a-traceparent' }]) {
      const span = withTraceContext(headers, () => trace.getTracer('test').startSpan('inside')) as Span & {
        parentSpanContext?: unknown;
      };
      expect(span.spanContext().traceId).not.toBe(TRACE_ID);
      expect(span.parentSpanContext).toBe(undefined);
      span.end();
    }
  });
});
