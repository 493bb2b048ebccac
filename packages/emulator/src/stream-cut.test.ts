import http from 'node:http';
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './start-emulator';
import type { StreamCut, StreamCutRequest } from './stream-cut';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const ANSWER = 'The capital of France is Paris.';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The cut of the next stream; the tests set it before each call. */
let next: StreamCut | undefined;
const requests: StreamCutRequest[] = [];
let emulator: Emulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startEmulator({
    models: fakeModels({ default: ANSWER }),
    faults: {
      cutStream: (request) => {
        requests.push(request);
        return next;
      },
    },
  });
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: emulator.bedrockEndpoint,
    credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

/** What the real SDK reads of one ConverseStream under `cut`: the event names, and how the iterator ended. */
async function converse(cut: StreamCut | undefined): Promise<{ events: string[]; error?: Error }> {
  next = cut;
  const events: string[] = [];
  try {
    const output = await client.send(
      new ConverseStreamCommand({
        modelId: HAIKU,
        messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }],
        requestMetadata: { stepwiseStepId: 'answer' },
      }),
    );
    for await (const event of output.stream ?? []) events.push(Object.keys(event)[0] ?? '?');
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

/** One ConverseStream over HTTP/1.1 with node:http: the raw body as received, and how the response ended. */
function rawConverseStream(cut: StreamCut | undefined): Promise<{ body: Buffer; error?: Error }> {
  next = cut;
  return new Promise((resolve) => {
    const request = http.request(
      `${emulator.bedrockEndpoint}/model/${encodeURIComponent(HAIKU)}/converse-stream`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ body: Buffer.concat(chunks) }));
        response.on('error', (error) => resolve({ body: Buffer.concat(chunks), error }));
        response.on('aborted', () => resolve({ body: Buffer.concat(chunks), error: new Error('aborted') }));
      },
    );
    request.on('error', (error) => resolve({ body: Buffer.alloc(0), error }));
    request.end(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }] }));
  });
}

const WHOLE = [
  'messageStart',
  'contentBlockDelta',
  'contentBlockDelta',
  'contentBlockDelta',
  'contentBlockDelta',
  'contentBlockDelta',
  'contentBlockDelta',
  'contentBlockDelta',
  'contentBlockStop',
  'messageStop',
  'metadata',
];

describe('faults.cutStream', () => {
  it('leaves streams alone without a cut, and tells the plan which stream it decides about', async () => {
    requests.length = 0;
    expect(await converse(undefined)).toEqual({ events: WHOLE });
    expect(requests).toEqual([
      { operation: 'ConverseStream', modelId: HAIKU, stepId: 'answer', call: expect.any(Number) },
    ]);
  });

  it('close at a frame boundary: the SDK iterator ends quietly after the frames before the cut', async () => {
    for (let frames = 0; frames < WHOLE.length; frames++) {
      expect(await converse({ afterFrames: frames })).toEqual({ events: WHOLE.slice(0, frames) });
    }
    expect(await converse({ afterFrames: WHOLE.length })).toEqual({ events: WHOLE });
  });

  it('beforeEvent cuts between contentBlockStop and messageStop, or before metadata', async () => {
    expect(await converse({ beforeEvent: 'messageStop' })).toEqual({ events: WHOLE.slice(0, 9) });
    expect(await converse({ beforeEvent: 'metadata', how: 'end' })).toEqual({ events: WHOLE.slice(0, 10) });
    expect(await converse({ beforeEvent: 'nothingLikeThis' })).toEqual({ events: WHOLE });
  });

  it('inside a frame, every way of cutting makes the SDK throw a plain transport error', async () => {
    for (const how of ['close', 'end', 'reset', 'corrupt'] as const) {
      for (const afterBytes of [4, 8, 12, 30, 60]) {
        const { events, error } = await converse({ afterFrames: 3, afterBytes, how });
        expect(events, `${how} ${afterBytes}`).toEqual(WHOLE.slice(0, 3));
        expect(error, `${how} ${afterBytes}`).toBeInstanceOf(Error);
        expect(error?.name).not.toMatch(/Exception$/);
      }
    }
  });

  it('within the first 4 bytes of a frame (its length), a closed connection ends the SDK iterator quietly', async () => {
    for (const how of ['close', 'end'] as const) {
      for (const afterBytes of [1, 3]) {
        expect(await converse({ afterFrames: 3, afterBytes, how }), `${how} ${afterBytes}`).toEqual({
          events: WHOLE.slice(0, 3),
        });
      }
    }
  });

  it('reset at a frame boundary is an HTTP/2 stream error', async () => {
    const { events, error } = await converse({ afterFrames: 2, how: 'reset' });
    expect(events).toEqual(WHOLE.slice(0, 2));
    expect(error).toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
  });

  it('corrupt flips one byte: the frame holding it fails its checksum', async () => {
    const { events, error } = await converse({ afterFrames: 4, afterBytes: 100, how: 'corrupt' });
    expect(events).toEqual(WHOLE.slice(0, 4));
    expect(error?.message).toMatch(/checksum/);
  });

  it('cuts InvokeModelWithResponseStream before a model-family chunk', async () => {
    next = { beforeEvent: 'message_stop' };
    const output = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: HAIKU,
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'Capital of France?' }],
        }),
        contentType: 'application/json',
      }),
    );
    const types: string[] = [];
    for await (const event of output.body ?? []) {
      types.push(JSON.parse(new TextDecoder().decode(event.chunk?.bytes)).type);
    }
    expect(types.at(-1)).toBe('message_delta');
    expect(types).not.toContain('message_stop');
    expect(requests.at(-1)).toMatchObject({ operation: 'InvokeModelWithResponseStream', modelId: HAIKU });
  });

  it('counts bytes exactly, over HTTP/1.1 too: the client gets the body up to the cut point and no more', async () => {
    const whole = await rawConverseStream(undefined);
    expect(whole.error).toBeUndefined();
    // The last frame (metadata) carries a latency that varies; everything before it is the same on every call.
    const stable = whole.body.length - 150;
    for (const afterBytes of [0, 1, 7, 100, 333, stable]) {
      for (const how of ['close', 'reset', 'end'] as const) {
        const { body, error } = await rawConverseStream({ afterBytes, how });
        expect(body.length, `${how} ${afterBytes}`).toBe(afterBytes);
        expect(Buffer.compare(body, whole.body.subarray(0, afterBytes)), `${how} ${afterBytes}`).toBe(0);
        if (how === 'end') expect(error).toBeUndefined();
        else expect(error, `${how} ${afterBytes}`).toBeDefined();
      }
    }
  });

  it('rejects a malformed plan', async () => {
    await expect(startEmulator({ models: fakeModels(), faults: { cutStream: { afterFrames: -1 } } })).rejects.toThrow(
      TypeError,
    );
    await expect(
      startEmulator({ models: fakeModels(), faults: { cutStream: { how: 'explode' as 'close' } } }),
    ).rejects.toThrow(/how/);
  });
});
