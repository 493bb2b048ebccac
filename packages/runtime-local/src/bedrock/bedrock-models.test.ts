import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { AbortedError, defineChain, invoke, ModelError, type ModelStreamPart, respond } from '@stepwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModels } from '../fake/fake-models';
import { createLocalRuntime } from '../runtime/create-local-runtime';
import { bedrockModels } from './index';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const fake = fakeModels({ byStep: { classify: 'true' }, default: 'A fake answer.' });

interface Seen {
  path: string;
  headers: http2.IncomingHttpHeaders;
  body: any;
}

function frame(kind: 'event' | 'exception', type: string, payload: unknown): Uint8Array {
  const headers: Record<string, { type: 'string'; value: string }> = {
    ':message-type': { type: 'string', value: kind },
    ':content-type': { type: 'string', value: 'application/json' },
  };
  headers[kind === 'event' ? ':event-type' : ':exception-type'] = { type: 'string', value: type };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

let server: http2.Http2Server;
let client: BedrockRuntimeClient;
let port = 0;
const scriptedClients: BedrockRuntimeClient[] = [];

function makeClient(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}
const seen: Seen[] = [];
const sessions = new Set<http2.ServerHttp2Session>();
let openStreams = 0;

beforeAll(async () => {
  server = http2.createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const [, , encodedId, operation] = (req.url ?? '').split('/');
      const modelId = decodeURIComponent(encodedId ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      if (modelId.includes('throttled')) {
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        });
        res.end(JSON.stringify({ message: 'Too many requests, please wait before trying again.' }));
        return;
      }
      if (operation === 'invoke') {
        const answer = await fake.invokeBody(modelId, body, { stepId: 'classify' });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      if (operation === 'invoke-with-response-stream') {
        const chunks = await collectChunks(fake.encodeStream(modelId, body, { stepId: 'answer' }));
        const cut = modelId.includes('cut') ? chunks.length - 1 : chunks.length;
        for (const chunk of chunks.slice(0, cut)) {
          res.write(frame('event', 'chunk', { bytes: Buffer.from(JSON.stringify(chunk)).toString('base64') }));
        }
        res.end();
        return;
      }
      const scenario = body.requestMetadata?.scenario as string | undefined;
      res.write(frame('event', 'messageStart', { role: 'assistant' }));
      for (const [index, text] of ['Hello', ' from', ' the', ' stream', '.'].entries()) {
        if (scenario === 'throttle' && index === 2) {
          res.end(frame('exception', 'throttlingException', { message: 'Rate exceeded mid-stream.' }));
          return;
        }
        if (scenario === 'cut' && index === 2) {
          res.end(); // the connection ends between two events: the SDK's iterator just ends
          return;
        }
        if (scenario === 'reset' && index === 2) {
          res.write(
            frame('event', 'contentBlockDelta', { delta: { text }, contentBlockIndex: 0 }).subarray(0, 20),
            () => setTimeout(() => res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 5),
          );
          return;
        }
        if (scenario === 'hang' && index === 1) {
          openStreams++;
          res.on('close', () => openStreams--);
          return; // keeps the stream open until the client goes away
        }
        res.write(frame('event', 'contentBlockDelta', { delta: { text }, contentBlockIndex: 0 }));
      }
      res.write(frame('event', 'contentBlockStop', { contentBlockIndex: 0 }));
      if (scenario === 'no-stop') {
        res.end(); // every delta arrived, messageStop and metadata did not
        return;
      }
      res.write(frame('event', 'messageStop', { stopReason: 'max_tokens' }));
      if (scenario === 'no-metadata') {
        res.end();
        return;
      }
      res.end(
        frame('event', 'metadata', {
          usage: { inputTokens: 11, outputTokens: 5, totalTokens: 16 },
          metrics: { latencyMs: 3 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  client = makeClient();
});

afterAll(async () => {
  client?.destroy();
  for (const scripted of scriptedClients) scripted.destroy();
  for (const session of sessions) session.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function collectChunks(chunks: AsyncIterable<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** The parts a stream yields before it ends, and what it failed with. */
async function settle(parts: AsyncIterable<ModelStreamPart>): Promise<{ parts: ModelStreamPart[]; error: unknown }> {
  const out: ModelStreamPart[] = [];
  try {
    for await (const part of parts) out.push(part);
    return { parts: out, error: undefined };
  } catch (error) {
    return { parts: out, error };
  }
}

async function collect(parts: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const out: ModelStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('bedrockModels', () => {
  it('sends InvokeModel with the family body and reads the family response', async () => {
    const models = bedrockModels({ client });
    const response = await models.doInvoke({
      modelId: HAIKU,
      stepId: 'classify',
      system: 'Answer true or false.',
      messages: [
        { role: 'user', content: 'Is the sky blue?' },
        { role: 'assistant', content: 'The answer:' },
      ],
      maxTokens: 5,
    });
    expect(response).toEqual({ text: 'true', usage: { inputTokens: 13, outputTokens: 1 }, stopReason: 'end_turn' });
    const request = seen.at(-1)!;
    expect(request.path).toBe(`/model/${encodeURIComponent(HAIKU)}/invoke`);
    expect(request.body).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 5,
      system: 'Answer true or false.',
      messages: [
        { role: 'user', content: 'Is the sky blue?' },
        { role: 'assistant', content: 'The answer:' },
      ],
    });
  });

  it('maps an HTTP 429 with x-amzn-ErrorType to Bedrock.ThrottlingException', async () => {
    const models = bedrockModels({ client });
    const failure = await models
      .doInvoke({ modelId: 'anthropic.claude-throttled-v1:0', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(ModelError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ error: 'Bedrock.ThrottlingException', statusCode: 429, retryable: true });
  });

  it('streams ConverseStream deltas, usage and stop reason, with the step id as request metadata', async () => {
    const models = bedrockModels({ client });
    const parts = await collect(
      models.doStream({
        modelId: HAIKU,
        stepId: 'answer',
        system: 'Be nice.',
        messages: [{ role: 'user', content: 'Hi' }],
        maxTokens: 100,
        temperature: 0.5,
      }),
    );
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: ' from' },
      { type: 'text-delta', delta: ' the' },
      { type: 'text-delta', delta: ' stream' },
      { type: 'text-delta', delta: '.' },
      { type: 'finish', usage: { inputTokens: 11, outputTokens: 5 }, stopReason: 'max_tokens' },
    ]);
    const request = seen.at(-1)!;
    expect(request.path).toBe(`/model/${encodeURIComponent(HAIKU)}/converse-stream`);
    expect(request.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be nice.' }],
      inferenceConfig: { maxTokens: 100, temperature: 0.5 },
      requestMetadata: { stepwiseStepId: 'answer' },
    });
  });

  it('turns an in-stream throttlingException into Bedrock.ThrottlingException after the deltas before it', async () => {
    const scripted = bedrockModels({ client: withMetadata({ scenario: 'throttle' }) });
    const partsThrottled: ModelStreamPart[] = [];
    const error = await (async () => {
      for await (const part of scripted.doStream({ modelId: HAIKU, messages: [{ role: 'user', content: 'Hi' }] }))
        partsThrottled.push(part);
    })().catch((caught: unknown) => caught);
    expect(partsThrottled).toEqual([
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: ' from' },
    ]);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'Bedrock.ThrottlingException' });
  });

  it.each([
    ['the connection ends between two deltas', 'cut', 2],
    ['every delta arrived but messageStop did not', 'no-stop', 5],
    ['messageStop arrived but metadata did not', 'no-metadata', 5],
    ['the HTTP/2 stream is reset inside a frame', 'reset', 2],
  ])('fails with Bedrock.ModelStreamErrorException when %s', async (_what, scenario, deltas) => {
    const scripted = bedrockModels({ client: withMetadata({ scenario }) });
    const { parts, error } = await settle(
      scripted.doStream({ modelId: HAIKU, messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(parts).toHaveLength(deltas);
    expect(parts.every((part) => part.type === 'text-delta')).toBe(true);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', retryable: true });
  });

  it('streams InvokeModelWithResponseStream with the family body, and fails a stream cut before its last chunk', async () => {
    const models = bedrockModels({ client, streamOperation: 'InvokeModelWithResponseStream' });
    const request = { modelId: HAIKU, stepId: 'answer', messages: [{ role: 'user' as const, content: 'Hi' }] };
    const whole = await collect(models.doStream(request));
    expect(whole.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe('A fake answer.');
    expect(whole.at(-1)).toMatchObject({ type: 'finish', stopReason: 'end_turn' });
    expect(seen.at(-1)!.path).toBe(`/model/${encodeURIComponent(HAIKU)}/invoke-with-response-stream`);
    expect(seen.at(-1)!.body).toMatchObject({ anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user' }] });
    const cut = await settle(models.doStream({ ...request, modelId: 'anthropic.claude-cut-v1:0' }));
    expect(cut.parts.filter((part) => part.type === 'finish')).toEqual([]);
    expect(cut.error).toMatchObject({ error: 'Bedrock.ModelStreamErrorException' });
  });

  it('aborting closes the open stream at once with AbortedError', async () => {
    const scripted = bedrockModels({ client: withMetadata({ scenario: 'hang' }) });
    const controller = new AbortController();
    const parts: ModelStreamPart[] = [];
    const done = (async () => {
      for await (const part of scripted.doStream(
        { modelId: HAIKU, messages: [{ role: 'user', content: 'Hi' }] },
        { signal: controller.signal },
      )) {
        parts.push(part);
        controller.abort();
      }
    })().catch((error: unknown) => error);
    const error = await done;
    expect(parts).toEqual([{ type: 'text-delta', delta: 'Hello' }]);
    expect(AbortedError.isInstance(error)).toBe(true);
    await expect.poll(() => openStreams, { timeout: 2000 }).toBe(0);
  });

  it('runs a chain on the local runtime against Bedrock', async () => {
    const runtime = createLocalRuntime({ models: bedrockModels({ client }) });
    const chain = defineChain({
      name: 'hybrid',
      steps: [
        invoke('classify', { model: HAIKU, prompt: 'Is {{input.q}} a question?', output: 'boolean' }),
        respond('answer', { model: HAIKU, prompt: '{{input.q}}' }),
      ],
    });
    const result = await runtime.run(chain, { q: 'Why?' });
    expect(result.output).toMatchObject({ value: true });
    expect(result.text).toBe('Hello from the stream.');
    expect(result.usage.byModel[HAIKU]).toEqual({ inputTokens: 6 + 11, outputTokens: 1 + 5 });
  });
});

/** A client whose ConverseStream calls carry extra request metadata (how the test server picks a scenario). */
function withMetadata(metadata: Record<string, string>): BedrockRuntimeClient {
  const scripted = makeClient();
  scriptedClients.push(scripted);
  scripted.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { requestMetadata?: Record<string, string> };
      input.requestMetadata = { ...input.requestMetadata, ...metadata };
      return next(args);
    },
    { step: 'initialize', name: 'scenarioMetadata' },
  );
  return scripted;
}
