import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error';
import { type ConverseStreamEvent, decodeConverseStream } from './decode-converse-stream';
import type { ModelStreamPart } from './model-provider';

/** A ConverseStream as Bedrock sends it. */
const whole: ConverseStreamEvent[] = [
  { messageStart: { role: 'assistant' } } as ConverseStreamEvent,
  { contentBlockDelta: { delta: { text: 'The capital' } } },
  { contentBlockDelta: { delta: { text: ' is Paris.' } } },
  { contentBlockStop: { contentBlockIndex: 0 } } as ConverseStreamEvent,
  { messageStop: { stopReason: 'max_tokens' } },
  { metadata: { usage: { inputTokens: 9, outputTokens: 4 } } },
];

async function consume(events: Iterable<ConverseStreamEvent> | AsyncIterable<ConverseStreamEvent>) {
  const seen: ModelStreamPart[] = [];
  try {
    for await (const part of decodeConverseStream(events)) seen.push(part);
    return { seen, error: undefined as unknown };
  } catch (error) {
    return { seen, error };
  }
}

describe('decodeConverseStream', () => {
  it('reads deltas, then one finish with the stop reason and the usage', async () => {
    expect(await consume(whole)).toEqual({
      seen: [
        { type: 'text-delta', delta: 'The capital' },
        { type: 'text-delta', delta: ' is Paris.' },
        { type: 'finish', usage: { inputTokens: 9, outputTokens: 4 }, stopReason: 'max_tokens' },
      ],
      error: undefined,
    });
  });

  it('fails with Bedrock.ModelStreamErrorException when the stream ends before messageStop and metadata', async () => {
    for (let kept = 0; kept < whole.length; kept++) {
      const { seen, error } = await consume(whole.slice(0, kept));
      expect(ModelError.isInstance(error), `${kept} events`).toBe(true);
      expect(error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', retryable: true });
      expect(seen.some((part) => part.type === 'finish')).toBe(false);
    }
  });

  it('turns in-stream exception members into their Bedrock names', async () => {
    const { seen, error } = await consume([
      whole[1]!,
      { throttlingException: { message: 'Rate exceeded mid-stream.' } },
      ...whole.slice(2),
    ]);
    expect(seen).toEqual([{ type: 'text-delta', delta: 'The capital' }]);
    expect(error).toMatchObject({
      error: 'Bedrock.ThrottlingException',
      statusCode: 429,
      message: 'Rate exceeded mid-stream.',
    });
  });

  it('maps a transport failure of the SDK iterator to Bedrock.ModelStreamErrorException', async () => {
    async function* cut(): AsyncGenerator<ConverseStreamEvent> {
      yield whole[1]!;
      throw new Error('Truncated event message received.');
    }
    const { seen, error } = await consume(cut());
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException' });
  });

  it('keeps a typed exception the SDK throws', async () => {
    async function* typed(): AsyncGenerator<ConverseStreamEvent> {
      yield whole[1]!;
      throw Object.assign(new Error('boom'), { name: 'ModelStreamErrorException', $fault: 'client' });
    }
    const { error } = await consume(typed());
    expect(error).toMatchObject({ name: 'ModelStreamErrorException', message: 'boom' });
  });
});
