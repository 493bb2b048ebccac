import { readFile } from 'node:fs/promises';
import type { ChainEvent } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { parseChainEventStream } from './parse-chain-event-stream';

const recorded = await readFile(new URL('../../test/__fixtures__/qa.sse.txt', import.meta.url));

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(chunks: Uint8Array[]): Promise<ChainEvent[]> {
  const events: ChainEvent[] = [];
  for await (const event of parseChainEventStream(streamOf(chunks))) events.push(event);
  return events;
}

describe('parseChainEventStream', () => {
  it('turns the recorded stream back into ChainEvents', async () => {
    const events = await collect([recorded]);
    expect(events.map((event) => event.type)).toEqual([
      'chain-start',
      'step-start',
      'step-end',
      'step-start',
      'step-end',
      'step-start',
      ...Array.from({ length: 8 }, () => 'text-delta'),
      'step-end',
      'chain-end',
    ]);
    expect(events[0]).toEqual({ type: 'chain-start', runId: '<run-id>', chain: 'qa' });
    expect(events[2]).toEqual({
      type: 'step-end',
      stepId: 'docs',
      stepType: 'retrieve',
      output: {
        results: [
          { text: 'Shipping is free over 50 euros.', score: 0.754913, source: 's3://docs/shipping.md' },
          {
            text: 'Stepwise runs prompt chains locally or on Step Functions.',
            score: 0.640724,
            source: 's3://docs/intro.md',
          },
        ],
      },
      ms: 0,
    });
    expect(events.at(-1)).toEqual({
      type: 'chain-end',
      output: { text: 'true', value: true, usage: { inputTokens: 8, outputTokens: 1 } },
      text: 'Stepwise runs prompt chains — ça marche 🚀',
      usage: {
        inputTokens: 12,
        outputTokens: 9,
        totalTokens: 21,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 12, outputTokens: 9 } },
      },
      ms: 0,
    });
  });

  it('gives the same events whatever byte the stream is split at, inside multi-byte UTF-8 too', async () => {
    const whole = await collect([recorded]);
    // the recording has 2-, 3- and 4-byte characters
    expect(recorded.some((byte, i) => byte === 0xf0 && recorded[i + 1] === 0x9f)).toBe(true);
    expect(recorded.includes(Buffer.from('ç'))).toBe(true);
    for (let at = 0; at <= recorded.length; at++) {
      const split = await collect([recorded.subarray(0, at), recorded.subarray(at)]);
      expect(split, `split at byte ${at}`).toEqual(whole);
    }
    const bytes = Array.from(recorded, (byte) => Uint8Array.of(byte));
    expect(await collect(bytes)).toEqual(whole);
  });

  it('ends a cut-off stream with a StreamInterruptedError event', async () => {
    const cut = recorded.subarray(0, recorded.indexOf(Buffer.from('text-end')));
    const events = await collect([cut]);
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: { name: 'StreamInterruptedError', message: 'The stream ended before the run did.' },
    });
  });

  it('passes an error part through as the terminal error event', async () => {
    const body =
      'data: {"type":"start","messageId":"r1","messageMetadata":{"chain":"qa","runId":"r1"}}\n\n' +
      'data: {"type":"error","errorText":"Step \\"x\\" failed.","errorName":"StepFailedError","stepId":"x"}\n\n' +
      'data: [DONE]\n\n';
    expect(await collect([new TextEncoder().encode(body)])).toEqual([
      { type: 'chain-start', runId: 'r1', chain: 'qa' },
      { type: 'error', error: { name: 'StepFailedError', message: 'Step "x" failed.', stepId: 'x' } },
    ]);
  });
});
