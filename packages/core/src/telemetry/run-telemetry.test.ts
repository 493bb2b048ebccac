import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error';
import { StepFailedError } from '../errors/step-failed-error';
import { RunTelemetry } from './run-telemetry';
import type { TelemetryApi, TelemetryAttributes, TelemetrySpan, TelemetrySpanOptions } from './telemetry-api';

interface FakeSpan extends TelemetrySpan {
  name: string;
  kind: number | undefined;
  parent: FakeSpan | undefined;
  attributes: TelemetryAttributes;
  status: { code: number; message?: string } | undefined;
  startTime: number | undefined;
  endTime: number | undefined;
  ended: boolean;
}

/** A tracer that keeps its spans; a context is the span that is active in it. */
function fakeApi(recording = true): { api: TelemetryApi; spans: FakeSpan[]; active: { value: unknown } } {
  const spans: FakeSpan[] = [];
  const active: { value: unknown } = { value: undefined };
  const api: TelemetryApi = {
    trace: { setSpan: (_context, span) => span },
    context: {
      active: () => active.value,
      with: (context, fn) => {
        const previous = active.value;
        active.value = context;
        try {
          return fn();
        } finally {
          active.value = previous;
        }
      },
    },
    tracer: {
      startSpan(name: string, options: TelemetrySpanOptions = {}, context?: unknown): TelemetrySpan {
        const span: FakeSpan = {
          name,
          kind: options.kind,
          parent: context as FakeSpan | undefined,
          attributes: { ...options.attributes },
          status: undefined,
          startTime: options.startTime,
          endTime: undefined,
          ended: false,
          setAttribute(key, value) {
            span.attributes[key] = value;
          },
          setStatus(status) {
            span.status = status;
          },
          addEvent() {},
          end(endTime) {
            span.ended = true;
            span.endTime = endTime;
          },
          isRecording: () => recording,
        };
        spans.push(span);
        return span;
      },
    },
  };
  return { api, spans, active };
}

const request = {
  modelId: 'openai:gpt-4o-mini',
  stepId: 'classify',
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Billing?' }],
  maxTokens: 10,
};

describe('RunTelemetry', () => {
  it('builds run, step and model-call spans with the GenAI attributes, under the caller', () => {
    const { api, spans } = fakeApi();
    const caller = { name: 'caller' };
    const telemetry = RunTelemetry.start(api, {}, { chain: 'qa', runId: 'r-1', runtime: 'local', parent: caller })!;
    const step = telemetry.startStep(telemetry.run, { id: 'classify', type: 'invoke' });
    const call = telemetry.startModelCall(step, { stepId: 'classify', stepType: 'invoke', request, stream: false });
    telemetry.endModelCall(call, { usage: { inputTokens: 12, outputTokens: 1 }, text: 'true', stopReason: 'end_turn' });
    telemetry.endStep(step);
    telemetry.endRun({ usage: { inputTokens: 12, outputTokens: 1, totalTokens: 13, byModel: {} } });

    const [run, stepSpan, chat] = spans as [FakeSpan, FakeSpan, FakeSpan];
    expect(run).toMatchObject({ name: 'invoke_workflow qa', kind: 0, parent: caller, ended: true });
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': 'qa',
      'stepwise.chain': 'qa',
      'stepwise.run_id': 'r-1',
      'stepwise.runtime': 'local',
      'stepwise.usage.input_tokens': 12,
    });
    expect(stepSpan).toMatchObject({ name: 'step classify', kind: 0, parent: run, status: undefined });
    expect(stepSpan.attributes).toEqual({
      'stepwise.chain': 'qa',
      'stepwise.run_id': 'r-1',
      'stepwise.step.id': 'classify',
      'stepwise.step.type': 'invoke',
    });
    expect(chat).toMatchObject({ name: 'chat gpt-4o-mini', kind: 2, parent: stepSpan, ended: true });
    expect(chat.attributes).toEqual({
      'stepwise.chain': 'qa',
      'stepwise.run_id': 'r-1',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 10,
      'gen_ai.request.stream': false,
      'stepwise.step.id': 'classify',
      'stepwise.step.type': 'invoke',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 1,
      'gen_ai.response.finish_reasons': ['end_turn'],
    });
  });

  it('records prompts and answers only with recordContent', () => {
    const off = fakeApi();
    const quiet = RunTelemetry.start(off.api, {}, { chain: 'qa', runId: 'r', runtime: 'local', parent: undefined })!;
    const a = quiet.startModelCall(quiet.run, { stepId: 'classify', stepType: 'invoke', request, stream: false });
    quiet.endModelCall(a, { text: 'secret answer' });
    expect(JSON.stringify(off.spans.map((span) => span.attributes))).not.toMatch(/Billing|Be brief|secret/);

    const on = fakeApi();
    const loud = RunTelemetry.start(
      on.api,
      { recordContent: true },
      { chain: 'qa', runId: 'r', runtime: 'local', parent: undefined },
    )!;
    const b = loud.startModelCall(loud.run, { stepId: 'classify', stepType: 'invoke', request, stream: false });
    loud.endModelCall(b, { text: 'secret answer', stopReason: 'end_turn' });
    const chat = on.spans[1]!;
    expect(JSON.parse(chat.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    expect(JSON.parse(chat.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Billing?' }] },
    ]);
    expect(JSON.parse(chat.attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'secret answer' }], finish_reason: 'end_turn' },
    ]);
  });

  it('marks failures with ERROR and the ASL error name as error.type', () => {
    const { api, spans } = fakeApi();
    const telemetry = RunTelemetry.start(api, {}, { chain: 'qa', runId: 'r', runtime: 'sfn', parent: undefined })!;
    const step = telemetry.startStep(
      undefined,
      { id: 'busy', type: 'invoke' },
      { startTime: 1000, timing: 'recorded' },
    );
    const call = telemetry.startModelCall(step, { stepId: 'busy', stepType: 'invoke', request, stream: false });
    const throttled = new ModelError('Too many requests (token: s3cr3t)', { error: 'Bedrock.ThrottlingException' });
    telemetry.endModelCall(call, { error: throttled, endTime: 1500 });
    const failure = new StepFailedError('Step "busy" failed', { error: 'Bedrock.ThrottlingException', stepId: 'busy' });
    telemetry.endStep(step, { error: failure, attempts: 3, endTime: 2000 });
    telemetry.endRun({ error: failure });
    const [run, stepSpan, chat] = spans as [FakeSpan, FakeSpan, FakeSpan];
    expect(stepSpan).toMatchObject({ parent: run, startTime: 1000, endTime: 2000 });
    expect(stepSpan.attributes).toMatchObject({ 'stepwise.timing': 'recorded', 'stepwise.step.attempts': 3 });
    for (const span of [run, stepSpan, chat]) {
      expect(span.status).toEqual({ code: 2, message: 'Bedrock.ThrottlingException' });
      expect(span.attributes['error.type']).toBe('Bedrock.ThrottlingException');
    }
    expect(chat.endTime).toBe(1500);
  });

  it('starts nothing more when the run span does not record, or when tracing is off', () => {
    const noSdk = fakeApi(false);
    expect(RunTelemetry.start(noSdk.api, {}, { chain: 'qa', runId: 'r', runtime: 'local', parent: undefined })).toBe(
      undefined,
    );
    expect(noSdk.spans).toHaveLength(1);
    expect(noSdk.spans[0]!.ended).toBe(true);
    const off = fakeApi();
    const init = { chain: 'qa', runId: 'r', runtime: 'local', parent: undefined };
    expect(RunTelemetry.start(off.api, { enabled: false }, init)).toBe(undefined);
    expect(off.spans).toHaveLength(0);
  });

  it('runs a callback with a span active', () => {
    const { api, active } = fakeApi();
    const telemetry = RunTelemetry.start(api, {}, { chain: 'qa', runId: 'r', runtime: 'local', parent: undefined })!;
    const step = telemetry.startStep(telemetry.run, { id: 'a', type: 'task' });
    expect(telemetry.within(step, () => active.value)).toBe(step.span);
    expect(active.value).toBe(undefined);
  });
});
