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
});
