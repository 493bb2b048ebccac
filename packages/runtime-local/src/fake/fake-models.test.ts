import {
  AbortedError,
  forEachItem,
  getModelAdapter,
  isPushIterable,
  ModelError,
  type ModelRequest,
  type ModelStreamPart,
  type PushIterable,
} from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { fakeModels } from './fake-models';
import { fakeTokens } from './fake-tokens';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  modelId: HAIKU,
  messages: [{ role: 'user', content: 'Hello there, model!' }],
  ...overrides,
});

async function collect(parts: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const out: ModelStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('fakeTokens', () => {
  it('splits into words and single characters that join back exactly', () => {
    const text = 'Hello, world!  It’s 42 °C\n🙂 done ';
    const tokens = fakeTokens(text);
    expect(tokens.join('')).toBe(text);
    expect(fakeTokens('Hello, world!')).toEqual(['Hello', ',', ' world', '!']);
  });
});

describe('fakeModels', () => {
  it('answers by step, then the function, then the queue, then the model, then the default', async () => {
    const models = fakeModels({
      byStep: { a: 'from step' },
      respond: (req) => (req.system === 'special' ? 'from function' : undefined),
      queue: ['first in queue', 'second in queue'],
      byModel: { 'us.amazon.nova-lite-v1:0': 'from model' },
      default: 'from default',
    });
    const texts: string[] = [];
    for (const req of [
      request({ stepId: 'a', system: 'special' }),
      request({ system: 'special' }),
      request({ modelId: 'us.amazon.nova-lite-v1:0' }),
      request({ modelId: 'us.amazon.nova-lite-v1:0' }),
      request({ modelId: 'us.amazon.nova-lite-v1:0' }),
      request(),
    ]) {
      texts.push((await models.doInvoke(req)).text);
    }
    expect(texts).toEqual([
      'from step',
      'from function',
      'first in queue',
      'second in queue',
      'from model',
      'from default',
    ]);
    expect(models.calls).toHaveLength(6);
  });

  it('fails with Bedrock.ValidationException when nothing answers', async () => {
    const failure = await failureOf(fakeModels().doInvoke(request({ stepId: 'x' })));
    expect(failure).toMatchObject({ name: 'ModelError', error: 'Bedrock.ValidationException', statusCode: 400 });
  });

  it('throttles the first n calls of a reply, then answers', async () => {
    const models = fakeModels({ byStep: { a: { text: 'ok', throttle: 2 } } });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(
        await models.doInvoke(request({ stepId: 'a' })).then(
          (response) => response.text,
          (error: ModelError) => `${error.error} ${error.statusCode}`,
        ),
      );
    }
    expect(outcomes).toEqual(['Bedrock.ThrottlingException 429', 'Bedrock.ThrottlingException 429', 'ok']);
  });

  it('throttles the first n calls of the provider with the throttle option', async () => {
    const models = fakeModels({ default: 'ok', throttle: 1 });
    expect(await failureOf(models.doInvoke(request()))).toMatchObject({ error: 'Bedrock.ThrottlingException' });
    expect((await models.doInvoke(request())).text).toBe('ok');
  });

  it('keeps a throttled queue entry at the head until it answers', async () => {
    const models = fakeModels({ queue: [{ text: 'first', throttle: 1 }, 'second'] });
    expect(await failureOf(models.doInvoke(request()))).toMatchObject({ error: 'Bedrock.ThrottlingException' });
    expect((await models.doInvoke(request())).text).toBe('first');
    expect((await models.doInvoke(request())).text).toBe('second');
  });

  it('scripts permanent failures and timeouts', async () => {
    const models = fakeModels({ byStep: { denied: { fail: 'AccessDeniedException' }, slow: { timeout: true } } });
    expect(await failureOf(models.doInvoke(request({ stepId: 'denied' })))).toMatchObject({
      error: 'Bedrock.AccessDeniedException',
      statusCode: 403,
    });
    const timeout = await failureOf(models.doInvoke(request({ stepId: 'slow' })));
    expect(timeout).toMatchObject({ error: 'Bedrock.ModelTimeoutException', statusCode: 408, retryable: true });
  });

  it('streams token-like deltas with deterministic usage', async () => {
    const models = fakeModels({ default: 'Hello, world!' });
    const parts = await collect(models.doStream(request({ system: 'Be brief.' })));
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: ',' },
      { type: 'text-delta', delta: ' world' },
      { type: 'text-delta', delta: '!' },
      // input: "Be brief." (3) + "Hello there, model!" (5); output: 4 deltas
      { type: 'finish', usage: { inputTokens: 8, outputTokens: 4 }, stopReason: 'end_turn' },
    ]);
    const whole = await models.doInvoke(request({ system: 'Be brief.' }));
    expect(whole).toEqual({
      text: 'Hello, world!',
      usage: { inputTokens: 8, outputTokens: 4 },
      stopReason: 'end_turn',
    });
  });

  it('fails a stream mid-way after k deltas', async () => {
    const models = fakeModels({ default: { text: 'one two three four', failAfterDeltas: 2 } });
    const parts: ModelStreamPart[] = [];
    const failure = await failureOf(
      (async () => {
        for await (const part of models.doStream(request())) parts.push(part);
      })(),
    );
    expect(parts.map((part) => (part.type === 'text-delta' ? part.delta : part.type))).toEqual(['one', ' two']);
    expect(failure).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', statusCode: 424 });
  });

  it('streams like a generator: lazy start, queued next(), abort between tokens, early return', async () => {
    const models = fakeModels({ default: 'one two three', tokenMs: 1 });
    const iterator = models.doStream(request())[Symbol.asyncIterator]();
    expect(models.calls).toHaveLength(0);
    const all = [iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next()];
    expect(models.calls).toHaveLength(1);
    expect((await Promise.all(all)).map((result) => (result.done ? 'done' : result.value.type))).toEqual([
      'text-delta',
      'text-delta',
      'text-delta',
      'finish',
      'done',
    ]);
    const slow = fakeModels({ default: 'one two three four', tokenMs: 60_000 });
    const controller = new AbortController();
    const aborted = slow.doStream(request(), { signal: controller.signal })[Symbol.asyncIterator]();
    expect(await aborted.next()).toEqual({ done: false, value: { type: 'text-delta', delta: 'one' } });
    const pending = failureOf(aborted.next());
    controller.abort();
    expect(AbortedError.isInstance(await pending)).toBe(true);
    expect(await aborted.next()).toEqual({ done: true, value: undefined });
    const closed = slow.doStream(request())[Symbol.asyncIterator]();
    await closed.next();
    expect(await closed.return?.(undefined)).toEqual({ done: true, value: undefined });
    expect(await closed.next()).toEqual({ done: true, value: undefined });
  });

  it('delivers by push with forEach: same parts, on the same schedule, listener called from the timer', async () => {
    const models = fakeModels({ default: { text: 'one two three', tokenMs: 20, firstTokenMs: 10 } });
    const stream = models.doStream(request());
    expect(isPushIterable(stream)).toBe(true);
    const seen: Array<{ part: string; at: number }> = [];
    const started = performance.now();
    await (stream as PushIterable<ModelStreamPart>).forEach((part) => {
      seen.push({ part: part.type === 'text-delta' ? part.delta : part.type, at: performance.now() - started });
    });
    expect(seen.map((entry) => entry.part)).toEqual(['one', ' two', ' three', 'finish']);
    expect(seen[0]!.at).toBeGreaterThanOrEqual(9);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(19);
    expect(models.calls).toHaveLength(1);
  });

  it('by push too: fails after k deltas, rejects at once on abort, and stops when the listener throws', async () => {
    const failing = fakeModels({ default: { text: 'one two three four', failAfterDeltas: 2, tokenMs: 1 } });
    const deltas: string[] = [];
    const failure = await failureOf(
      forEachItem(failing.doStream(request()), (part) => {
        if (part.type === 'text-delta') deltas.push(part.delta);
      }),
    );
    expect(deltas).toEqual(['one', ' two']);
    expect(failure).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', statusCode: 424 });

    const slow = fakeModels({ default: 'one two three four', tokenMs: 60_000 });
    const controller = new AbortController();
    let count = 0;
    const pending = failureOf(
      forEachItem(slow.doStream(request(), { signal: controller.signal }), () => {
        count++;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(AbortedError.isInstance(await pending)).toBe(true);
    expect(count).toBe(1);

    // a throwing listener stops the stream: no token after it, and no timer left to keep the process busy
    const fast = fakeModels({ default: 'a b c d e f', tokenMs: 1 });
    const got: string[] = [];
    const stopped = await failureOf(
      forEachItem(fast.doStream(request()), (part) => {
        if (part.type === 'text-delta') got.push(part.delta);
        if (got.length === 2) throw new Error('enough');
      }),
    );
    expect(stopped).toMatchObject({ message: 'enough' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(got).toEqual(['a', ' b']);
  });

  it('without latency, delivers a whole answer by push in the forEach call itself, with the same outcomes', async () => {
    const models = fakeModels({ byStep: { fail: { text: 'one two three', failAfterDeltas: 2 } }, default: 'a b c' });
    const parts: string[] = [];
    const done = (models.doStream(request()) as PushIterable<ModelStreamPart>).forEach((part) => {
      parts.push(part.type === 'text-delta' ? part.delta : part.type);
    });
    // Delivered before forEach returned: no timer, no promise per part.
    expect(parts).toEqual(['a', ' b', ' c', 'finish']);
    await done;

    const deltas: string[] = [];
    const failed = await failureOf(
      forEachItem(models.doStream({ ...request(), stepId: 'fail' }), (part) => {
        if (part.type === 'text-delta') deltas.push(part.delta);
      }),
    );
    expect(deltas).toEqual(['one', ' two']);
    expect(failed).toMatchObject({ error: 'Bedrock.ModelStreamErrorException' });

    const thrown: string[] = [];
    const stopped = await failureOf(
      forEachItem(models.doStream(request()), (part) => {
        thrown.push(part.type);
        throw new Error('enough');
      }),
    );
    expect([thrown, stopped]).toMatchObject([['text-delta'], { message: 'enough' }]);

    const controller = new AbortController();
    const seen: string[] = [];
    const aborted = await failureOf(
      forEachItem(models.doStream(request(), { signal: controller.signal }), (part) => {
        seen.push(part.type);
        controller.abort();
      }),
    );
    expect(seen).toEqual(['text-delta']);
    expect(AbortedError.isInstance(aborted)).toBe(true);
    expect(await failureOf(forEachItem(models.doStream(request(), { signal: controller.signal }), () => {}))).toSatisfy(
      AbortedError.isInstance,
    );
    // The call made with an aborted signal never reached the model; the four others were recorded.
    expect(models.calls).toHaveLength(4);
  });

  it('echoes the last user message', async () => {
    const models = fakeModels({ default: { echo: true } });
    const response = await models.doInvoke(
      request({
        messages: [
          { role: 'user', content: 'Say {"quoted"} \\ back' },
          { role: 'assistant', content: 'prefill' },
        ],
      }),
    );
    expect(response.text).toBe('Say {"quoted"} \\ back');
  });

  it('waits firstTokenMs and rejects with AbortedError at once when aborted', async () => {
    const models = fakeModels({ default: 'late', firstTokenMs: 60_000 });
    const controller = new AbortController();
    const pending = failureOf(models.doInvoke(request(), { signal: controller.signal }));
    controller.abort();
    expect(AbortedError.isInstance(await pending)).toBe(true);
    const streamed = failureOf(collect(models.doStream(request(), { signal: AbortSignal.abort() })));
    expect(AbortedError.isInstance(await streamed)).toBe(true);
  });

  it('answers InvokeModel bodies of every family with the family response body', async () => {
    const models = fakeModels({ byStep: { step1: 'Paris' } });
    for (const modelId of [
      HAIKU,
      'us.amazon.nova-lite-v1:0',
      'meta.llama3-8b-instruct-v1:0',
      'mistral.mistral-7b-instruct-v0:2',
    ]) {
      const adapter = getModelAdapter(modelId);
      const sent = request({ modelId, system: 'Answer with a city.', maxTokens: 20 });
      const body = await models.invokeBody(modelId, adapter.buildBody(sent), { stepId: 'step1' });
      const read = adapter.readResponse(body);
      expect(read.text, modelId).toBe('Paris');
      expect(models.calls.at(-1)).toMatchObject({ modelId, stepId: 'step1' });
      if (adapter.resultPaths.inputTokens) {
        expect(read.usage, modelId).toEqual({ inputTokens: 10, outputTokens: 1 });
      }
    }
  });

  it('encodes a streamed answer as the family chunk bodies', async () => {
    const models = fakeModels({ default: 'Hello, world!' });
    for (const modelId of [HAIKU, 'us.amazon.nova-lite-v1:0', 'meta.llama3-8b-instruct-v1:0']) {
      const adapter = getModelAdapter(modelId);
      const chunks: Record<string, unknown>[] = [];
      for await (const chunk of models.encodeStream(modelId, adapter.buildBody(request({ modelId }))))
        chunks.push(chunk);
      const parts = await collect(adapter.decodeStream(chunks));
      const text = parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
      expect(text, modelId).toBe('Hello, world!');
      expect(parts.at(-1), modelId).toEqual({
        type: 'finish',
        usage: { inputTokens: 5, outputTokens: 4 },
        stopReason: 'end_turn',
      });
    }
  });

  it('rejects a malformed body as Bedrock would', async () => {
    const failure = await failureOf(fakeModels({ default: 'x' }).invokeBody(HAIKU, { messages: 'nope' }));
    expect(ModelError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ error: 'Bedrock.ValidationException' });
  });
});

describe('fakeModels: Bedrock request rules', () => {
  const refusal = async (call: Promise<unknown>, message: RegExp) => {
    const failure = await failureOf(call);
    expect(ModelError.isInstance(failure), String(failure)).toBe(true);
    expect(failure).toMatchObject({ error: 'Bedrock.ValidationException', statusCode: 400 });
    expect((failure as Error).message).toMatch(message);
  };
  const streamed = (models: ReturnType<typeof fakeModels>, req: ModelRequest) => collect(models.doStream(req));

  it('refuses, as ConverseStream does, an empty conversation, an assistant first turn, repeated roles, blank text', async () => {
    const models = fakeModels({ default: 'ok' });
    await refusal(streamed(models, request({ messages: [] })), /must start with a user message/);
    await refusal(
      streamed(models, request({ messages: [{ role: 'assistant', content: 'Hi' }] })),
      /must start with a user message/,
    );
    await refusal(
      streamed(
        models,
        request({
          messages: [
            { role: 'user', content: 'Hi' },
            { role: 'user', content: 'Anyone?' },
          ],
        }),
      ),
      /must alternate between user and assistant roles/,
    );
    await refusal(
      streamed(
        models,
        request({
          messages: [
            { role: 'user', content: 'Hi' },
            { role: 'assistant', content: ' \n' },
            { role: 'user', content: 'Hello?' },
          ],
        }),
      ),
      /ContentBlock object at messages\.1\.content\.0 is blank/,
    );
    // Refused before any answer is looked up or any scripted throttle is spent; the call is still recorded.
    expect(models.calls).toHaveLength(4);
    expect(await streamed(models, request())).toContainEqual(expect.objectContaining({ type: 'finish' }));
  });

  it('refuses InvokeModel requests by the family’s rules', async () => {
    const models = fakeModels({ default: 'ok' });
    await refusal(models.doInvoke(request({ messages: [] })), /at least one message is required/);
    await refusal(
      models.doInvoke(request({ messages: [{ role: 'user', content: '   ' }] })),
      /must contain non-whitespace text/,
    );
    await refusal(
      models.doInvoke(request({ messages: [{ role: 'user', content: '' }] })),
      /all messages must have non-empty content except for the optional final assistant message/,
    );
    await refusal(
      models.doInvoke(
        request({
          messages: [
            { role: 'user', content: 'a' },
            { role: 'assistant', content: 'b' },
            { role: 'assistant', content: 'c' },
          ],
        }),
      ),
      /roles must alternate .* multiple "assistant" roles in a row/,
    );
    await refusal(
      models.doInvoke(request({ modelId: 'us.amazon.nova-lite-v1:0', messages: [{ role: 'user', content: '' }] })),
      /is blank/,
    );
    // A Llama 3 prompt holds an empty user turn, and a Claude prefill may be empty.
    await expect(
      models.doInvoke(request({ modelId: 'meta.llama3-8b-instruct-v1:0', messages: [{ role: 'user', content: '' }] })),
    ).resolves.toMatchObject({ text: 'ok' });
    await expect(
      models.doInvoke(
        request({
          messages: [
            { role: 'user', content: 'Answer in JSON' },
            { role: 'assistant', content: ' ' },
          ],
        }),
      ),
    ).resolves.toMatchObject({ text: 'ok' });
  });

  it('refuses the same requests behind the emulator, from the family body', async () => {
    const models = fakeModels({ default: 'ok' });
    const adapter = getModelAdapter(HAIKU);
    const body = adapter.buildBody(request({ messages: [{ role: 'user', content: '  ' }] }));
    await refusal(models.invokeBody(HAIKU, body), /must contain non-whitespace text/);
  });

  it('counts a Claude prefill as the adapter sends it, without its trailing whitespace', async () => {
    const models = fakeModels({ default: '"a": 1}' });
    const withSpace = request({
      messages: [
        { role: 'user', content: 'Answer in JSON' },
        { role: 'assistant', content: '{ \n' },
      ],
    });
    const trimmed = request({
      messages: [
        { role: 'user', content: 'Answer in JSON' },
        { role: 'assistant', content: '{' },
      ],
    });
    const local = await models.doInvoke(withSpace);
    expect(local.usage).toEqual((await models.doInvoke(trimmed)).usage);
    expect(local.usage.inputTokens).toBe(4);
    // What the same call costs behind the emulator, which reads the body the compiled machine sends.
    const wire = await models.invokeBody(HAIKU, getModelAdapter(HAIKU).buildBody(withSpace));
    expect(wire.usage).toEqual({ input_tokens: 4, output_tokens: local.usage.outputTokens });
    // Mistral folds the system prompt into the first turn: echo, the respond function and the count see that turn,
    // on runtime-local as behind the emulator.
    const mistral = 'mistral.mistral-large-2402-v1:0';
    const seen: Array<string | undefined> = [];
    const echo = fakeModels({
      respond: (req) => {
        seen.push(req.system);
        return { echo: true };
      },
    });
    const folded = request({ modelId: mistral, system: 'Be brief.', stepId: 'summary' });
    const direct = await echo.doInvoke(folded);
    const behind = await echo.invokeBody(mistral, getModelAdapter(mistral).buildBody(folded), { stepId: 'summary' });
    expect(direct.text).toBe('Be brief.\n\nHello there, model!');
    expect(behind).toEqual(getModelAdapter(mistral).writeResponse(direct));
    expect(seen).toEqual([undefined, undefined]);
    expect(echo.calls[0]).toBe(folded);
    // Llama keeps the prefill as it is.
    const llama = 'meta.llama3-8b-instruct-v1:0';
    const kept = await models.doInvoke({ ...withSpace, modelId: llama });
    expect(kept.usage.inputTokens).toBe(5);
  });
});

describe('countFakeTokens', () => {
  it('counts what fakeTokens splits, for awkward text', async () => {
    const { countFakeTokens } = await import('./fake-tokens');
    for (const text of [
      '',
      '   ',
      'Hello, world!  ',
      ' leading and trailing\n',
      'It’s 42 °C\n🙂 done é 漢字 {{y}} \\ back\\slash',
      'a_b c-d\u00a0e\u2003f',
    ]) {
      expect(countFakeTokens(text), JSON.stringify(text)).toBe(fakeTokens(text).length);
    }
  });
});

describe('fakeModels: other providers', () => {
  it("fail a provider model's scripted calls under the Provider.* names its API would give", async () => {
    const models = fakeModels({
      byStep: {
        busy: { text: 'ok', throttle: 1 },
        down: { fail: 'InternalServerException' },
        named: { fail: 'Provider.Unauthorized' },
        cut: { text: 'a b c d', failAfterDeltas: 2 },
      },
    });
    const call = (stepId: string) => ({
      modelId: 'openai:gpt-4o-mini',
      stepId,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    });
    await expect(models.doInvoke(call('busy'))).rejects.toMatchObject({
      error: 'Provider.RateLimited',
      statusCode: 429,
    });
    expect((await models.doInvoke(call('busy'))).text).toBe('ok');
    await expect(models.doInvoke(call('down'))).rejects.toMatchObject({
      error: 'Provider.ServerError',
      statusCode: 500,
    });
    await expect(models.doInvoke(call('named'))).rejects.toMatchObject({ error: 'Provider.Unauthorized' });
    let failure: unknown;
    try {
      for await (const _part of models.doStream(call('cut'))) {
        // deltas before the cut
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ error: 'Provider.StreamCut', retryable: true });
    // Bedrock models keep Bedrock's names.
    await expect(
      fakeModels({ default: { fail: 'InternalServerException' } }).doInvoke({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ error: 'Bedrock.InternalServerException' });
  });
});
