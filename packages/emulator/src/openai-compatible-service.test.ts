import { createOpenAI } from '@ai-sdk/openai';
import { AbortedError, type ModelRequest, type ModelStreamPart } from '@stepwise/core';
import { fakeModels } from '@stepwise/runtime-local';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type OpenAiCompatibleOptions,
  type OpenAiCompatibleServer,
  STEP_ID_HEADER,
  startOpenAiCompatible,
} from './openai-compatible-service';

const servers: OpenAiCompatibleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: OpenAiCompatibleOptions) {
  const server = await startOpenAiCompatible(options);
  servers.push(server);
  // A real @ai-sdk/openai client on its Chat Completions API, pointed at the loopback server.
  const openai = createOpenAI({ baseURL: server.baseUrl, apiKey: 'test-key' });
  const models = aiSdkModels({ openai: (id) => openai.chat(id) }, { stepIdHeader: STEP_ID_HEADER });
  return { server, models };
}

const ask = (content: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  modelId: 'openai:gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});

async function collect(parts: AsyncIterable<ModelStreamPart>) {
  const out: ModelStreamPart[] = [];
  try {
    for await (const part of parts) out.push(part);
  } catch (error) {
    return { parts: out, error };
  }
  return { parts: out, error: undefined };
}

describe('startOpenAiCompatible: Chat Completions on loopback, through a real @ai-sdk/openai client', () => {
  it('answers a whole call from the fakes, by model reference, with usage; the client sent its key and settings', async () => {
    const { server, models } = await start({ models: fakeModels({ byModel: { 'openai:gpt-4o-mini': 'Paris' } }) });
    const answer = await models.doInvoke(
      ask('Capital of France?', { system: 'Be brief.', maxTokens: 20, temperature: 0, stopSequences: ['\n'] }),
    );
    expect(answer).toEqual({ text: 'Paris', usage: { inputTokens: 7, outputTokens: 1 }, stopReason: 'end_turn' });
    const [call] = server.calls;
    expect(call!.headers.authorization).toBe('Bearer test-key');
    expect(call!.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      temperature: 0,
      stop: ['\n'],
    });
    expect(call!.request).toMatchObject({ modelId: 'openai:gpt-4o-mini', system: 'Be brief.', maxTokens: 20 });
  });

  it('streams SSE chunks with usage, read by the AI SDK into deltas and one finish; the step id picks the fake', async () => {
    const { server, models } = await start({
      models: fakeModels({ byStep: { answer: 'Refunds take fourteen days.' }, default: 'wrong' }),
    });
    const { parts, error } = await collect(models.doStream(ask('Refunds?', { stepId: 'answer' })));
    expect(error).toBeUndefined();
    const deltas = parts.filter((part) => part.type === 'text-delta').map((part) => part.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Refunds take fourteen days.');
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      usage: { inputTokens: 2, outputTokens: deltas.length },
      stopReason: 'end_turn',
    });
    expect(server.calls[0]!.headers[STEP_ID_HEADER]).toBe('answer');
    expect(server.calls[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('speaks the wire: chunks, a finish_reason, a usage chunk, then [DONE]', async () => {
    const server = await startOpenAiCompatible({ models: fakeModels({ default: 'Hi there' }) });
    servers.push(server);
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-2).choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });

  it('answers scripted 429 and 500 with the API error body; the client names them Provider.RateLimited and Provider.ServerError', async () => {
    const { models } = await start({
      models: fakeModels({ byStep: { busy: { text: 'ok', throttle: 1 } }, default: 'ok' }),
      faults: (call) => (call.request.stepId === 'down' ? { status: 500 } : undefined),
    });
    await expect(models.doInvoke(ask('x', { stepId: 'busy' }))).rejects.toMatchObject({
      error: 'Provider.RateLimited',
      statusCode: 429,
      retryable: true,
    });
    expect((await models.doInvoke(ask('x', { stepId: 'busy' }))).text).toBe('ok');
    expect((await collect(models.doStream(ask('x', { stepId: 'down' })))).error).toMatchObject({
      error: 'Provider.ServerError',
      statusCode: 500,
    });
    const response = await fetch(`${servers[0]!.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [STEP_ID_HEADER]: 'busy' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('cuts a stream (ended, or the connection reset) after some deltas: the client fails with Provider.StreamCut', async () => {
    for (const fault of [{ cutAfterDeltas: 2 }, { cutAfterDeltas: 2, mode: 'destroy' as const }]) {
      const { models } = await start({
        models: fakeModels({ default: 'one two three four five' }),
        faults: () => fault,
      });
      const { parts, error } = await collect(models.doStream(ask('count')));
      expect(
        parts.map((part) => part.type),
        String(error),
      ).toEqual(['text-delta', 'text-delta']);
      expect(
        error,
        `${fault.mode ?? 'end'} ${(error as Error).message} ${(error as { error?: string }).error}`,
      ).toMatchObject({ error: 'Provider.StreamCut', retryable: true });
    }
    // A fake that fails mid-stream is a cut stream on the wire too.
    const { models } = await start({ models: fakeModels({ default: { text: 'a b c d', failAfterDeltas: 1 } }) });
    expect((await collect(models.doStream(ask('x')))).error).toMatchObject({ error: 'Provider.StreamCut' });
  });

  it('cuts a stream that fails before its first delta after 200 and its headers, as a dropped connection does: no 5xx', async () => {
    const { server, models } = await start({
      models: fakeModels({ byStep: { early: { text: 'a b c', failAfterDeltas: 0 } }, default: 'ok' }),
    });
    // On the wire: the stream opened (200, SSE), then ended without a finish_reason, a usage chunk or [DONE].
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [STEP_ID_HEADER]: 'early' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events).not.toContain('data: [DONE]');
    const chunks = events.map((event) => JSON.parse(event.slice('data: '.length)));
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice: { delta: unknown }) => choice.delta))).toEqual([
      { role: 'assistant', content: '' },
    ]);
    expect(chunks.some((chunk) => chunk.usage !== undefined || chunk.choices[0]?.finish_reason != null)).toBe(false);
    // Through the AI SDK: no delta, and the failure is the cut stream's, as runtime-local's fake names it.
    const { parts, error } = await collect(models.doStream(ask('x', { stepId: 'early' })));
    expect(parts).toEqual([]);
    expect(error).toMatchObject({ error: 'Provider.StreamCut', retryable: true });
    expect((error as { statusCode?: number }).statusCode).toBeUndefined();
    // Cut by a scripted fault before the first delta, the connection ended or reset: the same name.
    for (const fault of [{ cutAfterDeltas: 0 }, { cutAfterDeltas: 0, mode: 'destroy' as const }]) {
      const { models: cutting } = await start({ models: fakeModels({ default: 'a b c' }), faults: () => fault });
      const cut = await collect(cutting.doStream(ask('x')));
      expect(cut.parts, fault.mode ?? 'end').toEqual([]);
      expect(cut.error, fault.mode ?? 'end').toMatchObject({ error: 'Provider.StreamCut', retryable: true });
    }
    // A fake failure that is no cut still answers before the stream opens with its status.
    const { models: failing } = await start({ models: fakeModels({ default: { fail: 'InternalServerException' } }) });
    expect((await collect(failing.doStream(ask('x')))).error).toMatchObject({
      error: 'Provider.ServerError',
      statusCode: 500,
    });
  });

  it('refuses a wrong key with 401 (Provider.Unauthorized), and an aborted stream stops the fake', async () => {
    const { models } = await start({ models: fakeModels({ default: 'ok' }), apiKey: 'another-key' });
    await expect(models.doInvoke(ask('x'))).rejects.toMatchObject({ error: 'Provider.Unauthorized', statusCode: 401 });

    const fakes = fakeModels({ default: { text: 'a b c d e f g h', tokenMs: 20 } });
    const { models: slow } = await start({ models: fakes });
    const controller = new AbortController();
    const seen: ModelStreamPart[] = [];
    let failure: unknown;
    try {
      for await (const part of slow.doStream(ask('x'), { signal: controller.signal })) {
        seen.push(part);
        controller.abort();
      }
    } catch (error) {
      failure = error;
    }
    expect(seen).toHaveLength(1);
    expect(AbortedError.isInstance(failure)).toBe(true);
  });
});
