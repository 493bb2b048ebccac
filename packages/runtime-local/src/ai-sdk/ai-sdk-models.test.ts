import type { LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import { AbortedError, defineChain, invoke, ModelError, type ModelStreamPart, respond } from '@stepwise/core';
import { APICallError } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { fakeModels } from '../fake/fake-models';
import type { Clock } from '../runtime/clock';
import { createLocalRuntime } from '../runtime/create-local-runtime';
import { aiSdkModels } from './ai-sdk-models';

const usage = (input: number, output: number): LanguageModelV4Usage => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

const finish = (unified: 'stop' | 'length' | 'interrupted' | 'error', raw?: string): LanguageModelV4StreamPart => ({
  type: 'finish',
  usage: usage(9, 3),
  finishReason: { unified, raw },
});

const deltas = (...texts: string[]): LanguageModelV4StreamPart[] => [
  { type: 'stream-start', warnings: [] },
  { type: 'text-start', id: '0' },
  ...texts.map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: '0', delta })),
  { type: 'text-end', id: '0' },
];

function streaming(parts: LanguageModelV4StreamPart[]) {
  return new MockLanguageModelV4({ doStream: async () => ({ stream: convertArrayToReadableStream(parts) }) });
}

async function collect(parts: AsyncIterable<ModelStreamPart>): Promise<{ parts: ModelStreamPart[]; error?: unknown }> {
  const out: ModelStreamPart[] = [];
  try {
    for await (const part of parts) out.push(part);
  } catch (error) {
    return { parts: out, error };
  }
  return { parts: out };
}

function apiError(statusCode: number | undefined, message = 'failed'): APICallError {
  return new APICallError({
    message,
    url: 'https://api.openai.com/v1/chat/completions',
    requestBodyValues: {},
    ...(statusCode === undefined ? {} : { statusCode }),
  });
}

describe('aiSdkModels', () => {
  it('invokes: system, messages, prefill, sampling and stop sequences go to the model; text, usage, stop reason back', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async () => ({
        content: [{ type: 'text', text: '"ok": true}' }],
        finishReason: { unified: 'stop', raw: 'stop_sequence' },
        usage: usage(12, 4),
        warnings: [],
      }),
    });
    const models = aiSdkModels({ openai: { languageModel: () => model } });
    const response = await models.doInvoke({
      modelId: 'openai:gpt-4o-mini',
      stepId: 'classify',
      system: 'JSON only.',
      messages: [
        { role: 'user', content: 'Is it ok?' },
        { role: 'assistant', content: '{' },
      ],
      maxTokens: 20,
      temperature: 0,
      topP: 0.5,
      stopSequences: ['\n\n'],
    });
    expect(response).toEqual({
      text: '"ok": true}',
      usage: { inputTokens: 12, outputTokens: 4 },
      stopReason: 'stop_sequence',
    });
    expect(model.doGenerateCalls).toHaveLength(1);
    const call = model.doGenerateCalls[0]!;
    expect(call.prompt).toEqual([
      { role: 'system', content: 'JSON only.' },
      { role: 'user', content: [{ type: 'text', text: 'Is it ok?' }] },
      { role: 'assistant', content: [{ type: 'text', text: '{' }] },
    ]);
    expect(call).toMatchObject({ maxOutputTokens: 20, temperature: 0, topP: 0.5, stopSequences: ['\n\n'] });
    expect(call.headers).toBeUndefined();
  });

  it('streams deltas, then one finish with usage; a provider is a function of the model id too', async () => {
    const seen: string[] = [];
    const models = aiSdkModels({
      compatible: (id) => {
        seen.push(id);
        return streaming([...deltas('Hel', 'lo'), finish('length')]);
      },
    });
    const request = { modelId: 'compatible:llama3.2', messages: [{ role: 'user' as const, content: 'Hi' }] };
    expect(await collect(models.doStream(request))).toEqual({
      parts: [
        { type: 'text-delta', delta: 'Hel' },
        { type: 'text-delta', delta: 'lo' },
        { type: 'finish', usage: { inputTokens: 9, outputTokens: 3 }, stopReason: 'max_tokens' },
      ],
    });
    await collect(models.doStream(request));
    expect(seen).toEqual(['llama3.2']);
  });

  it('fails a stream that ends without its finish, or whose finish says it was cut, with Provider.StreamCut', async () => {
    for (const parts of [deltas('Hel', 'lo'), [...deltas('Hel', 'lo'), finish('interrupted')]]) {
      const models = aiSdkModels({ openai: () => streaming(parts) });
      const { parts: got, error } = await collect(
        models.doStream({ modelId: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
      );
      expect(got).toEqual([
        { type: 'text-delta', delta: 'Hel' },
        { type: 'text-delta', delta: 'lo' },
      ]);
      expect(ModelError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ error: 'Provider.StreamCut', retryable: true });
    }
  });

  it('names failures as policies see them on both runtimes', async () => {
    const failing = (error: unknown) =>
      aiSdkModels({
        openai: () =>
          new MockLanguageModelV4({
            doGenerate: async () => {
              throw error;
            },
            doStream: async () => {
              throw error;
            },
          }),
      });
    const request = { modelId: 'openai:gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
    const cases: Array<[unknown, string]> = [
      [apiError(429, 'Rate limit reached'), 'Provider.RateLimited'],
      [apiError(500), 'Provider.ServerError'],
      [apiError(529), 'Provider.ServerError'],
      [apiError(401), 'Provider.Unauthorized'],
      [apiError(400), 'Provider.BadRequest'],
      [apiError(undefined, 'Cannot connect to API'), 'Provider.ConnectionError'],
      [Object.assign(new Error('bad json'), { name: 'AI_JSONParseError' }), 'States.Runtime'],
    ];
    for (const [error, name] of cases) {
      await expect(failing(error).doInvoke(request)).rejects.toMatchObject({ name: 'ModelError', error: name });
      expect((await collect(failing(error).doStream(request))).error).toMatchObject({ error: name });
    }
    // A 2xx answer whose body broke ("Failed to process successful response"): @ai-sdk/openai's doStream reads ahead
    // to the first output, so a stream cut before its first delta throws there. The provider answered: a cut stream,
    // not a connection that never answered; a whole answer that broke off never arrived at all.
    const broken = apiError(200, 'Failed to process successful response');
    expect((await collect(failing(broken).doStream(request))).error).toMatchObject({
      error: 'Provider.StreamCut',
      retryable: true,
    });
    await expect(failing(broken).doInvoke(request)).rejects.toMatchObject({ error: 'Provider.ConnectionError' });
    // An error part inside the stream: named by its status, or a cut stream.
    const inStream = (error: unknown) =>
      aiSdkModels({ openai: () => streaming([...deltas('a'), { type: 'error', error }, finish('error')]) });
    expect((await collect(inStream(apiError(429)).doStream(request))).error).toMatchObject({
      error: 'Provider.RateLimited',
    });
    expect((await collect(inStream(new Error('parse')).doStream(request))).error).toMatchObject({
      error: 'Provider.StreamCut',
    });
  });

  it('aborts a stream at once with AbortedError, and refuses an aborted call before it starts', async () => {
    const controller = new AbortController();
    const model = new MockLanguageModelV4({
      doStream: async ({ abortSignal }) => {
        const stream = new ReadableStream<LanguageModelV4StreamPart>({
          start(sink) {
            sink.enqueue({ type: 'text-delta', id: '0', delta: 'first' });
            abortSignal?.addEventListener('abort', () =>
              sink.error(Object.assign(new Error('aborted'), { name: 'AbortError' })),
            );
          },
        });
        return { stream };
      },
    });
    const models = aiSdkModels({ openai: () => model });
    const parts = models.doStream(
      { modelId: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
      { signal: controller.signal },
    );
    const got: ModelStreamPart[] = [];
    let failure: unknown;
    try {
      for await (const part of parts) {
        got.push(part);
        controller.abort();
      }
    } catch (error) {
      failure = error;
    }
    expect(got).toEqual([{ type: 'text-delta', delta: 'first' }]);
    expect(AbortedError.isInstance(failure)).toBe(true);
    expect(model.doStreamCalls[0]!.abortSignal).toBe(controller.signal);
    await expect(
      models.doInvoke({ modelId: 'openai:gpt-4o-mini', messages: [] }, { signal: controller.signal }),
    ).rejects.toSatisfy(AbortedError.isInstance);
  });

  it('reads V3 models, sends the step id header when asked, and hands Bedrock ids to the fallback', async () => {
    const v3 = new MockLanguageModelV3({
      doGenerate: async () => ({
        content: [{ type: 'text', text: 'v3' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usage(1, 1),
        warnings: [],
      }),
    });
    const fallback = fakeModels({ default: 'from bedrock' });
    const models = aiSdkModels(
      { anthropic: { languageModel: () => v3 as never } },
      { fallback, stepIdHeader: 'x-stepwise-step-id' },
    );
    const answer = await models.doInvoke({
      modelId: 'anthropic:claude-sonnet-4-5',
      stepId: 'pick',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.text).toBe('v3');
    expect(v3.doGenerateCalls[0]!.headers).toEqual({ 'x-stepwise-step-id': 'pick' });
    const bedrock = await models.doInvoke({
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(bedrock.text).toBe('from bedrock');
    await expect(
      aiSdkModels({}).doInvoke({ modelId: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toThrow('aiSdkModels has no "openai" provider');
  });

  it('runs a chain on runtime-local: a retry policy on Provider.RateLimited retries a 429', async () => {
    let calls = 0;
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        calls++;
        if (calls === 1) throw apiError(429);
        return {
          content: [{ type: 'text', text: 'true' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: usage(5, 1),
          warnings: [],
        };
      },
      doStream: async () => ({ stream: convertArrayToReadableStream([...deltas('Sure', '!'), finish('stop')]) }),
    });
    const chain = defineChain({
      name: 'any-provider-unit',
      steps: [
        invoke('check', {
          model: 'openai:gpt-4o-mini',
          prompt: 'Is {{input.x}} fine?',
          output: 'boolean',
          policy: { retry: { errors: ['Provider.RateLimited'], maxAttempts: 2, intervalSeconds: 1 } },
        }),
        respond('answer', { model: 'openai:gpt-4o', prompt: 'Say sure' }),
      ],
    });
    const clock: Clock = {
      now: () => performance.now(),
      setTimeout: (callback, ms) => setTimeout(callback, ms / 1000),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const runtime = createLocalRuntime({ models: aiSdkModels({ openai: () => model }), clock });
    const result = await runtime.run(chain, { x: 'this' });
    expect(calls).toBe(2);
    expect(result.steps.check).toEqual({ text: 'true', value: true, usage: { inputTokens: 5, outputTokens: 1 } });
    expect(result.text).toBe('Sure!');
    expect(result.usage.byModel).toEqual({
      'openai:gpt-4o-mini': { inputTokens: 5, outputTokens: 1 },
      'openai:gpt-4o': { inputTokens: 9, outputTokens: 3 },
    });
  });
});
