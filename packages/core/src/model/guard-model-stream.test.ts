import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors/aborted-error';
import { ModelError } from '../errors/model-error';
import { guardModelStream } from './guard-model-stream';
import type { ModelStreamPart } from './model-provider';

const finish: ModelStreamPart = { type: 'finish', usage: { inputTokens: 3, outputTokens: 2 }, stopReason: 'end_turn' };

async function* parts(items: ModelStreamPart[], failure?: unknown): AsyncGenerator<ModelStreamPart> {
  for (const item of items) yield item;
  if (failure !== undefined) throw failure;
}

async function consume(stream: AsyncIterable<ModelStreamPart>): Promise<{ seen: ModelStreamPart[]; error: unknown }> {
  const seen: ModelStreamPart[] = [];
  try {
    for await (const part of stream) seen.push(part);
    return { seen, error: undefined };
  } catch (error) {
    return { seen, error };
  }
}

describe('guardModelStream', () => {
  it('passes a whole stream through unchanged', async () => {
    const items: ModelStreamPart[] = [{ type: 'text-delta', delta: 'Hi' }, finish];
    expect(await consume(guardModelStream(parts(items)))).toEqual({ seen: items, error: undefined });
  });

  it('fails a stream that ends without its finish, after passing its deltas on', async () => {
    const { seen, error } = await consume(guardModelStream(parts([{ type: 'text-delta', delta: 'Hal' }])));
    expect(seen).toEqual([{ type: 'text-delta', delta: 'Hal' }]);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', statusCode: 424, retryable: true });
  });

  it('fails an empty stream', async () => {
    const { error } = await consume(guardModelStream(parts([])));
    expect(error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException' });
  });

  it.each([
    ['a socket reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['an HTTP/2 stream reset', Object.assign(new Error('Stream closed'), { code: 'ERR_HTTP2_STREAM_ERROR' })],
    ['a premature close', Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })],
    ['a frame cut inside', new Error('Truncated event message received.')],
    ['a checksum failure', new Error('The message checksum (1) did not match the expected value of 2')],
    ['a timeout', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
    ['a thrown string', 'boom'],
  ])('turns %s mid-stream into Bedrock.ModelStreamErrorException with the cause', async (_what, failure) => {
    const { seen, error } = await consume(guardModelStream(parts([{ type: 'text-delta', delta: 'a' }], failure)));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', retryable: true });
    expect((error as Error).cause).toBe(failure);
  });

  it('keeps the name of a failure the service named', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' });
    expect((await consume(guardModelStream(parts([], throttled)))).error).toBe(throttled);
    const unknown = Object.assign(new Error('{}'), { name: 'SomeNewException' });
    expect((await consume(guardModelStream(parts([], unknown)))).error).toBe(unknown);
    const modelError = new ModelError('slow', { error: 'Bedrock.ModelTimeoutException' });
    expect((await consume(guardModelStream(parts([], modelError)))).error).toBe(modelError);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect((await consume(guardModelStream(parts([], abort)))).error).toBe(abort);
  });

  it('passes any failure through once the signal has aborted, and reports an early end as an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const reset = new Error('Truncated event message received.');
    const signal = controller.signal;
    expect((await consume(guardModelStream(parts([], reset), { signal }))).error).toBe(reset);
    const { error } = await consume(guardModelStream(parts([{ type: 'text-delta', delta: 'a' }]), { signal }));
    expect(AbortedError.isInstance(error)).toBe(true);
  });

  it('stops the source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<ModelStreamPart> {
      try {
        yield { type: 'text-delta', delta: 'a' };
        yield { type: 'text-delta', delta: 'b' };
      } finally {
        closed = true;
      }
    }
    for await (const _part of guardModelStream(source())) break;
    expect(closed).toBe(true);
  });
});
