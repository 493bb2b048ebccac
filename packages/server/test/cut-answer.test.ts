import { spawn, spawnSync } from 'node:child_process';
import type { ChainRuntime } from '@stepwise/core';
import { defineChain, respond } from '@stepwise/core';
import { type Emulator, type StreamCut, startEmulator } from '@stepwise/emulator';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { bedrockModels } from '@stepwise/runtime-local/bedrock';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MODEL, qaChain } from './helpers/chains';
import { rawExchange } from './helpers/raw-http';
import { SECRET_HOST, scriptedRuntime } from './helpers/scripted-runtime';
import { ENTRIES, sseParts, startTestServer } from './helpers/start-test-server';

type Part = { type: string; [key: string]: unknown };
const HAS_CURL = spawnSync('curl', ['--version']).status === 0;
const question = { question: 'Hi' };

/** A chain that only streams its answer (so /chat works too). */
const askChain = defineChain({
  name: 'ask',
  input: z.object({
    question: z.string(),
    history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).default([]),
  }),
  steps: [respond('answer', { model: MODEL, prompt: '{{input.question}}', messages: { from: 'input.history' } })],
});
const ANSWER = 'one two three four five six seven eight nine ten eleven twelve';

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The SSE routes: `/stream` and `/chat`. */
async function sseOf(base: string, chain: string, route: 'stream' | 'chat'): Promise<unknown[]> {
  const body =
    route === 'stream'
      ? { input: question }
      : { id: 'c1', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] };
  const response = await post(`${base}/v1/chains/${chain}/${route}`, body);
  expect(response.status).toBe(200);
  return sseParts(await response.text());
}

/** A `text/plain` stream over a raw socket: the bytes as sent, chunked framing included. */
async function rawTextStream(port: number, chain: string) {
  const body = JSON.stringify({ input: question });
  return rawExchange(port, {
    head: [
      `POST /v1/chains/${chain}/stream HTTP/1.1`,
      'Host: 127.0.0.1',
      'Accept: text/plain',
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      'Connection: close',
    ].join('\r\n'),
    body,
  });
}

/** A stream that failed after text went out: text, then `error`, never `finish`, then `[DONE]`. */
function expectFailedAfterText(parts: unknown[], error: string) {
  const types = (parts.slice(0, -1) as Part[]).map((part) => part.type);
  expect(parts.at(-1)).toBe('[DONE]');
  expect(types).toContain('text-delta');
  expect(types).not.toContain('finish');
  expect(types).not.toContain('data-usage');
  expect(types.at(-1)).toBe('error');
  expect(types.indexOf('text-end')).toBeGreaterThan(types.lastIndexOf('text-delta'));
  const last = parts.at(-2) as Part;
  expect(last).toMatchObject({ type: 'error', errorName: expect.stringMatching(/Error$/), stepId: 'answer' });
  if (last.error !== undefined) expect(last.error).toBe(error);
  return last;
}

describe.each(ENTRIES)('%s', (entry) => {
  describe('a run that fails after text went out (scripted runtime)', () => {
    let server: Awaited<ReturnType<typeof startTestServer>>;
    beforeAll(async () => {
      const runtime = scriptedRuntime({ tokens: ['Refunds ', 'take ', '14 ', 'days.'], failAfterTokens: 2 });
      server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
    });
    afterAll(async () => {
      await server.close();
    });

    it('SSE (/stream and /chat): the text so far, then an error part, no finish, then [DONE]', async () => {
      for (const route of ['stream', 'chat'] as const) {
        const parts = await sseOf(server.url, 'qa', route);
        const error = expectFailedAfterText(parts, 'Bedrock.ModelStreamErrorException');
        expect(error).toMatchObject({
          errorName: 'StepFailedError',
          error: 'Bedrock.ModelStreamErrorException',
          errorText:
            'Step "answer" failed with Bedrock.ModelStreamErrorException: the model stream broke off before the answer was complete.',
        });
        expect(JSON.stringify(parts)).not.toContain(SECRET_HOST);
        const deltas = (parts as Part[]).filter((part) => part.type === 'text-delta').map((part) => part.delta);
        expect(deltas).toEqual(['Refunds ', 'take ']);
      }
    });

    it('/invoke: 502 with the ASL name, not 200 with the truncated text', async () => {
      const response = await post(`${server.url}/v1/chains/qa/invoke`, { input: question });
      expect(response.status).toBe(502);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({
        name: 'StepFailedError',
        stepId: 'answer',
        error: 'Bedrock.ModelStreamErrorException',
        requestId: response.headers.get('x-request-id'),
      });
      expect(JSON.stringify(body)).not.toContain(SECRET_HOST);
    });

    it('text/plain: the body is cut (no last chunk) instead of ending cleanly', async () => {
      const cut = await rawTextStream(server.port, 'qa');
      expect(cut.raw).toMatch(/^HTTP\/1\.1 200 /);
      expect(cut.headers['transfer-encoding']).toBe('chunked');
      expect(cut.raw).toContain('Refunds ');
      expect(cut.raw).toContain('take ');
      // the body, not the head: the Date header may hold "14 " (seconds)
      expect(cut.raw.slice(cut.raw.indexOf('\r\n\r\n'))).not.toContain('14 ');
      expect(cut.raw.endsWith('0\r\n\r\n')).toBe(false);
      expect(cut.serverEnded).toBe(true);
      // fetch reports it as an error, not as a finished body
      const response = await post(`${server.url}/v1/chains/qa/stream`, { input: question }, { accept: 'text/plain' });
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
    });

    it.skipIf(!HAS_CURL)('text/plain: curl exits 18 (partial file) with the text it got', async () => {
      const curl = spawn('curl', [
        '-sS',
        '-N',
        '-H',
        'Accept: text/plain',
        '-H',
        'Content-Type: application/json',
        '--data',
        JSON.stringify({ input: question }),
        `${server.url}/v1/chains/qa/stream`,
      ]);
      let stdout = '';
      curl.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      const code = await new Promise<number | null>((resolve) => curl.on('close', resolve));
      expect(stdout).toBe('Refunds take ');
      expect(code).toBe(18);
    });

    it('text/plain ends with the last chunk when the run succeeds', async () => {
      const runtime = scriptedRuntime({ tokens: ['Refunds ', 'take ', '14 ', 'days.'] });
      const ok = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      try {
        const whole = await rawTextStream(ok.port, 'qa');
        expect(whole.raw.endsWith('0\r\n\r\n')).toBe(true);
      } finally {
        await ok.close();
      }
    });

    it('text/plain gets a JSON error with its status when the run fails before any text', async () => {
      const runtime = scriptedRuntime({ failStep: 'relevant' });
      const failing = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      try {
        const response = await post(
          `${failing.url}/v1/chains/qa/stream`,
          { input: question },
          { accept: 'text/plain' },
        );
        expect(response.status).toBe(502);
        const body = (await response.json()) as { error: Record<string, unknown> };
        expect(body.error).toMatchObject({
          name: 'StepFailedError',
          stepId: 'relevant',
          error: 'Bedrock.ThrottlingException',
        });
        expect(JSON.stringify(body)).not.toContain(SECRET_HOST);
      } finally {
        await failing.close();
      }
    });
  });
});

/**
 * The real runtimes, with the emulator's Bedrock cutting the answer's event stream: runtime-sfn (StartSyncExecution,
 * then ConverseStream) and runtime-local with `bedrockModels` (ConverseStream), both through the AWS SDK.
 */
describe.each(['sfn', 'local'] as const)('a cut model stream through the server (runtime-%s, emulator)', (kind) => {
  let emulator: Emulator;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cut: StreamCut | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({
      models: fakeModels({ byStep: { answer: ANSWER }, default: ANSWER }),
      retryDelayMs: 0,
      faults: { cutStream: () => cut },
    });
    let runtime: ChainRuntime;
    if (kind === 'sfn') {
      runtime = createSfnRuntime({
        endpoint: emulator.sfnEndpoint,
        bedrockEndpoint: emulator.bedrockEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
        roleArn: 'arn:aws:iam::123456789012:role/stepwise-server-test',
      });
    } else {
      // bedrockModels' own client, pointed at the emulator through the SDK's configuration variables
      vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', emulator.bedrockEndpoint);
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
      vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
      runtime = createLocalRuntime({ models: bedrockModels({ region: 'us-east-1' }) });
    }
    server = await startTestServer({ runtime, chains: [askChain] });
  });
  afterAll(async () => {
    await server?.close();
    await emulator?.close();
    vi.unstubAllEnvs();
  });

  const afterText: Array<[string, StreamCut]> = [
    ['at a frame boundary after 3 deltas (the SDK iterator just ends)', { afterFrames: 4 }],
    ['between contentBlockStop and messageStop', { beforeEvent: 'messageStop' }],
    ['inside a frame', { afterFrames: 4, afterBytes: 20 }],
    ['by an HTTP/2 reset', { afterFrames: 4, how: 'reset' }],
    ['by a corrupt frame', { afterFrames: 4, afterBytes: 30, how: 'corrupt' }],
  ];

  it.each(afterText)('cut %s: SSE error part without finish, /invoke 502, text/plain cut', async (_what, plan) => {
    cut = plan;
    try {
      for (const route of ['stream', 'chat'] as const) {
        expectFailedAfterText(await sseOf(server.url, 'ask', route), 'Bedrock.ModelStreamErrorException');
      }
      const invoked = await post(`${server.url}/v1/chains/ask/invoke`, { input: question });
      expect(invoked.status).toBe(502);
      expect(((await invoked.json()) as { error: unknown }).error).toMatchObject({
        name: 'StepFailedError',
        stepId: 'answer',
        error: 'Bedrock.ModelStreamErrorException',
      });
      const text = await rawTextStream(server.port, 'ask');
      expect(text.status).toBe(200);
      expect(text.raw).toContain('one');
      expect(text.raw.endsWith('0\r\n\r\n')).toBe(false);
    } finally {
      cut = undefined;
    }
  });

  it('a cut before any text: SSE error part; text/plain gets a JSON 502', async () => {
    cut = { afterFrames: 1 };
    try {
      const parts = await sseOf(server.url, 'ask', 'stream');
      expect(parts.at(-1)).toBe('[DONE]');
      expect((parts as Part[]).map((part) => part.type)).not.toContain('finish');
      expect(parts.at(-2)).toMatchObject({ type: 'error', stepId: 'answer' });
      const response = await post(`${server.url}/v1/chains/ask/stream`, { input: question }, { accept: 'text/plain' });
      expect(response.status).toBe(502);
      // the runtimes' error events carry no ASL name yet (ChainEvent's error is {name, message, stepId})
      expect(((await response.json()) as { error: unknown }).error).toMatchObject({
        name: 'StepFailedError',
        stepId: 'answer',
        message: expect.stringMatching(/^Step "answer" failed/),
      });
    } finally {
      cut = undefined;
    }
  });

  it('the same stream uncut finishes', async () => {
    const parts = await sseOf(server.url, 'ask', 'stream');
    expect(parts.at(-2)).toMatchObject({ type: 'finish' });
    const text = await rawTextStream(server.port, 'ask');
    expect(text.raw.endsWith('0\r\n\r\n')).toBe(true);
  });
});
