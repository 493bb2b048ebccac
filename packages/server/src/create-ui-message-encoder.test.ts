import type { ChainEvent } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { createChainEventDecoder } from './client/create-chain-event-decoder';
import { createUiMessageEncoder } from './create-ui-message-encoder';

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5, byModel: { m: { inputTokens: 3, outputTokens: 2 } } };

const success: ChainEvent[] = [
  { type: 'chain-start', runId: 'r1', chain: 'qa' },
  { type: 'step-start', stepId: 'kb', stepType: 'retrieve' },
  {
    type: 'step-end',
    stepId: 'kb',
    stepType: 'retrieve',
    output: { results: [{ text: 'a'.repeat(100), score: 0.5 }] },
    ms: 4,
  },
  { type: 'step-start', stepId: 'classify', stepType: 'invoke' },
  {
    type: 'step-retry',
    stepId: 'classify',
    attempt: 2,
    error: { name: 'Bedrock.ThrottlingException', message: 'slow' },
  },
  {
    type: 'step-end',
    stepId: 'classify',
    stepType: 'invoke',
    output: { text: 'yes' },
    usage: { inputTokens: 1, outputTokens: 1 },
    ms: 9,
  },
  { type: 'step-start', stepId: 'answer', stepType: 'respond' },
  { type: 'text-delta', stepId: 'answer', delta: 'Hi' },
  { type: 'text-delta', stepId: 'answer', delta: ' there' },
  { type: 'step-end', stepId: 'answer', stepType: 'respond', output: { text: 'Hi there' }, ms: 12 },
  { type: 'chain-end', output: { text: 'yes' }, text: 'Hi there', usage, ms: 30 },
];

describe('createUiMessageEncoder', () => {
  it('maps a run to UI message stream parts', () => {
    const encoder = createUiMessageEncoder();
    const parts = success.flatMap((event) => encoder.encode(event));
    expect(parts.map((part) => part.type)).toEqual([
      'start',
      'data-step',
      'data-step',
      'source-document',
      'data-step',
      'data-step',
      'data-step',
      'data-step',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'data-step',
      'data-usage',
      'finish',
    ]);
    expect(parts[0]).toEqual({ type: 'start', messageId: 'r1', messageMetadata: { chain: 'qa', runId: 'r1' } });
    expect(parts[3]).toEqual({
      type: 'source-document',
      sourceId: 'kb-0',
      mediaType: 'text/plain',
      title: `${'a'.repeat(79)}…`,
      providerMetadata: { stepwise: { stepId: 'kb', score: 0.5 } },
    });
    expect(parts[5]).toEqual({
      type: 'data-step',
      id: 'classify',
      data: {
        status: 'retrying',
        stepType: 'invoke',
        attempt: 2,
        error: { name: 'Bedrock.ThrottlingException', message: 'slow' },
      },
    });
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      messageMetadata: { output: { text: 'yes' }, ms: 30 },
    });
  });

  it('sse() writes exactly the serialised parts, fast path included', () => {
    const parts = createUiMessageEncoder();
    const sse = createUiMessageEncoder();
    for (const event of success) {
      const expected = parts
        .encode(event)
        .map((part) => `data: ${JSON.stringify(part)}\n\n`)
        .join('');
      expect(sse.sse(event)).toBe(expected);
    }
    const quoted: ChainEvent = { type: 'text-delta', stepId: 'answer', delta: '"quoted" \\ \n ünï 🚀' };
    const a = createUiMessageEncoder();
    a.sse({ type: 'text-delta', stepId: 'answer', delta: 'first' });
    expect(a.sse(quoted)).toBe(
      `data: ${JSON.stringify({ type: 'text-delta', id: 'answer', delta: quoted.delta })}\n\n`,
    );
  });

  it('round-trips through the client decoder', () => {
    const encoder = createUiMessageEncoder();
    const decoder = createChainEventDecoder();
    const decoded = success.flatMap((event) => encoder.encode(event)).flatMap((part) => decoder.decode(part));
    expect(decoded).toEqual(success);
  });

  it('rounds step and run times to 0.1 ms', () => {
    const encoder = createUiMessageEncoder();
    encoder.encode({ type: 'step-start', stepId: 'kb', stepType: 'retrieve' });
    const [step] = encoder.encode({
      type: 'step-end',
      stepId: 'kb',
      stepType: 'retrieve',
      output: null,
      ms: 152.77060900000015,
    });
    expect(step).toEqual({
      type: 'data-step',
      id: 'kb',
      data: { status: 'done', stepType: 'retrieve', output: null, ms: 152.8 },
    });
    const finish = encoder.encode({ type: 'chain-end', output: null, usage, ms: 0.04999 }).at(-1);
    expect(finish).toEqual({ type: 'finish', finishReason: 'stop', messageMetadata: { output: null, ms: 0 } });
    expect(encoder.sse({ type: 'step-end', stepId: 'kb', stepType: 'retrieve', output: null, ms: 9.96 })).toContain(
      '"ms":10}',
    );
  });

  it('ends a failed run: closes the text, marks running steps failed, then error', () => {
    const encoder = createUiMessageEncoder();
    const events: ChainEvent[] = [
      { type: 'chain-start', runId: 'r1', chain: 'qa' },
      { type: 'step-start', stepId: 'route', stepType: 'choose' },
      { type: 'step-start', stepId: 'answer', stepType: 'respond' },
      { type: 'text-delta', stepId: 'answer', delta: 'Hi' },
      { type: 'error', error: { name: 'StepFailedError', message: 'Model stream failed.', stepId: 'answer' } },
    ];
    const parts = events.flatMap((event) => encoder.encode(event));
    expect(parts.slice(-4)).toEqual([
      { type: 'text-end', id: 'answer' },
      {
        type: 'data-step',
        id: 'route',
        data: {
          status: 'failed',
          stepType: 'choose',
          error: { name: 'StepFailedError', message: 'Model stream failed.' },
        },
      },
      {
        type: 'data-step',
        id: 'answer',
        data: {
          status: 'failed',
          stepType: 'respond',
          error: { name: 'StepFailedError', message: 'Model stream failed.' },
        },
      },
      { type: 'error', errorText: 'Model stream failed.', errorName: 'StepFailedError', stepId: 'answer' },
    ]);
    const decoder = createChainEventDecoder();
    expect(parts.flatMap((part) => decoder.decode(part))).toEqual(events);
  });

  describe("a nested run (detail: 'nested')", () => {
    const nested: ChainEvent[] = [
      { type: 'chain-start', runId: 'r2', chain: 'digest' },
      { type: 'step-start', stepId: 'summaries', stepType: 'map' },
      { type: 'step-start', stepId: 'summarize', stepType: 'invoke', parent: 'summaries', index: 0 },
      { type: 'step-start', stepId: 'summarize', stepType: 'invoke', parent: 'summaries', index: 1 },
      {
        type: 'step-retry',
        stepId: 'summarize',
        attempt: 2,
        error: { name: 'Bedrock.ThrottlingException', message: 'slow' },
        parent: 'summaries',
        index: 1,
      },
      {
        type: 'step-end',
        stepId: 'summarize',
        stepType: 'invoke',
        output: { text: 'b' },
        usage: { inputTokens: 2, outputTokens: 1 },
        ms: 3.04,
        parent: 'summaries',
        index: 1,
      },
      {
        type: 'step-end',
        stepId: 'summarize',
        stepType: 'invoke',
        output: { text: 'a' },
        ms: 5,
        parent: 'summaries',
        index: 0,
      },
      { type: 'step-end', stepId: 'summaries', stepType: 'map', output: [{ text: 'a' }, { text: 'b' }], ms: 9 },
      { type: 'step-start', stepId: 'both', stepType: 'parallel' },
      { type: 'step-start', stepId: 'kb', stepType: 'retrieve', parent: 'both' },
      {
        type: 'step-end',
        stepId: 'kb',
        stepType: 'retrieve',
        output: { results: [{ text: 'doc', score: 1, source: 's3://kb/doc' }] },
        ms: 1,
        parent: 'both',
      },
      { type: 'step-end', stepId: 'both', stepType: 'parallel', output: { one: null }, ms: 2 },
      { type: 'chain-end', output: null, usage, ms: 12 },
    ];

    it('gives each iteration of a step its own part, with stepId, parent and index in its data', () => {
      const encoder = createUiMessageEncoder();
      const parts = nested.flatMap((event) => encoder.encode(event));
      const steps = parts.filter((part) => part.type === 'data-step');
      expect(steps.map((part) => [part.id, part.data.status])).toEqual([
        ['summaries', 'running'],
        ['summarize[0]', 'running'],
        ['summarize[1]', 'running'],
        ['summarize[1]', 'retrying'],
        ['summarize[1]', 'done'],
        ['summarize[0]', 'done'],
        ['summaries', 'done'],
        ['both', 'running'],
        ['kb', 'running'],
        ['kb', 'done'],
        ['both', 'done'],
      ]);
      expect(steps[1]).toEqual({
        type: 'data-step',
        id: 'summarize[0]',
        data: { status: 'running', stepType: 'invoke', stepId: 'summarize', parent: 'summaries', index: 0 },
      });
      expect(steps[3]).toEqual({
        type: 'data-step',
        id: 'summarize[1]',
        data: {
          status: 'retrying',
          stepType: 'invoke',
          stepId: 'summarize',
          parent: 'summaries',
          index: 1,
          attempt: 2,
          error: { name: 'Bedrock.ThrottlingException', message: 'slow' },
        },
      });
      expect(steps[4]).toEqual({
        type: 'data-step',
        id: 'summarize[1]',
        data: {
          status: 'done',
          stepType: 'invoke',
          stepId: 'summarize',
          parent: 'summaries',
          index: 1,
          output: { text: 'b' },
          ms: 3,
          usage: { inputTokens: 2, outputTokens: 1 },
        },
      });
      // a nested step outside any map: its step id, and its parent without an index
      expect(steps[9]!.data).toMatchObject({ status: 'done', stepId: 'kb', parent: 'both' });
      expect(steps[9]!.data).not.toHaveProperty('index');
      // top-level steps are as before: no place in their data
      expect(steps[6]!.data).toEqual({
        status: 'done',
        stepType: 'map',
        output: [{ text: 'a' }, { text: 'b' }],
        ms: 9,
      });
      expect(parts.find((part) => part.type === 'source-document')).toMatchObject({
        sourceId: 'kb-0',
        title: 's3://kb/doc',
        providerMetadata: { stepwise: { stepId: 'kb', score: 1, source: 's3://kb/doc' } },
      });
    });

    it('writes the same parts with sse(), and round-trips through the client decoder', () => {
      const parts = createUiMessageEncoder();
      const sse = createUiMessageEncoder();
      for (const event of nested) {
        const expected = parts
          .encode(event)
          .map((part) => `data: ${JSON.stringify(part)}\n\n`)
          .join('');
        expect(sse.sse(event)).toBe(expected);
      }
      const encoder = createUiMessageEncoder();
      const decoder = createChainEventDecoder();
      const decoded = nested.flatMap((event) => encoder.encode(event)).flatMap((part) => decoder.decode(part));
      expect(decoded).toEqual(
        nested.map((event) => ('ms' in event ? { ...event, ms: Math.round(event.ms * 10) / 10 } : event)),
      );
    });

    it('marks the nested steps still running failed, each in its place, when the run fails', () => {
      const encoder = createUiMessageEncoder();
      const events: ChainEvent[] = [
        { type: 'chain-start', runId: 'r3', chain: 'digest' },
        { type: 'step-start', stepId: 'summaries', stepType: 'map' },
        { type: 'step-start', stepId: 'summarize', stepType: 'invoke', parent: 'summaries', index: 0 },
        { type: 'step-start', stepId: 'summarize', stepType: 'invoke', parent: 'summaries', index: 1 },
        {
          type: 'step-end',
          stepId: 'summarize',
          stepType: 'invoke',
          output: { text: 'b' },
          ms: 1,
          parent: 'summaries',
          index: 1,
        },
        { type: 'error', error: { name: 'StepFailedError', message: 'Refused.', stepId: 'summarize' } },
      ];
      const parts = events.flatMap((event) => encoder.encode(event));
      const error = { name: 'StepFailedError', message: 'Refused.' };
      expect(parts.slice(-3)).toEqual([
        { type: 'data-step', id: 'summaries', data: { status: 'failed', stepType: 'map', error } },
        {
          type: 'data-step',
          id: 'summarize[0]',
          data: { status: 'failed', stepType: 'invoke', stepId: 'summarize', parent: 'summaries', index: 0, error },
        },
        { type: 'error', errorText: 'Refused.', errorName: 'StepFailedError', stepId: 'summarize' },
      ]);
    });
  });
});
