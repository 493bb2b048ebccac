import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyChain, qaChain } from './helpers/chains';
import { ANSWER, localRuntime } from './helpers/local-runtime';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { ENTRIES, sseParts, startTestServer } from './helpers/start-test-server';

const FIXTURE = new URL('./__fixtures__/qa.sse.txt', import.meta.url);

describe.each(ENTRIES)('%s', (entry) => {
  describe('server over HTTP', () => {
    const { runtime } = localRuntime();
    let server: Awaited<ReturnType<typeof startTestServer>>;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    beforeAll(async () => {
      server = await startTestServer(
        { runtime, chains: [qaChain, classifyChain], limits: { bodyBytes: 2048 } },
        { entry },
      );
    });
    afterAll(async () => {
      await server.close();
    });

    it('answers /healthz and / (readiness + playground)', async () => {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const root = await fetch(`${server.url}/`);
      expect(root.status).toBe(200);
      expect(root.headers.get('content-type')).toMatch(/^text\/html/);
    });

    it('lists the chains with their input JSON Schema', async () => {
      const response = await fetch(`${server.url}/v1/chains`);
      const body = (await response.json()) as { chains: Array<Record<string, any>> };
      expect(body.chains.map((chain) => chain.name)).toEqual(['qa', 'classify']);
      const qa = body.chains[0]!;
      expect(qa.description).toBe('Answers questions from the docs.');
      expect(qa.streams).toBe(true);
      expect(qa.inputSchema.type).toBe('object');
      expect(qa.inputSchema.required).toEqual(['question']);
      expect(body.chains[1]!.inputSchema).toBeUndefined();
      expect(body.chains[1]!.streams).toBe(false);
    });

    it('invokes a chain: 200 {output, text, usage, steps}', async () => {
      const response = await post('/v1/chains/qa/invoke', { input: { question: 'What is stepwise?' } });
      expect(response.status).toBe(200);
      const result = (await response.json()) as Record<string, any>;
      expect(result.text).toBe(ANSWER);
      expect(result.output).toMatchObject({ text: 'true', value: true });
      expect(Object.keys(result.steps)).toEqual(['docs', 'relevant', 'answer']);
      expect(result.usage.totalTokens).toBeGreaterThan(0);
      expect(result.usage.totalTokens).toBe(result.usage.inputTokens + result.usage.outputTokens);
    });

    it('streams SSE with the AI SDK headers, matching the golden transcript', async () => {
      const response = await post('/v1/chains/qa/stream', { input: { question: 'What is stepwise?' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
      expect(response.headers.get('content-encoding')).toBeNull();
      const body = await response.text();
      const normalised = body
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<run-id>')
        .replace(/"ms":[\d.]+/g, '"ms":0');
      if (process.env.UPDATE_FIXTURES) await writeFile(FIXTURE, normalised);
      expect(normalised).toBe(await readFile(FIXTURE, 'utf8'));
      expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    });

    it('gives bare text deltas for Accept: text/plain', async () => {
      const response = await post('/v1/chains/qa/stream', { input: { question: 'Hi' } }, { accept: 'text/plain' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe(ANSWER);
    });

    it('answers 400 to malformed JSON and to a body without input', async () => {
      const malformed = await post('/v1/chains/qa/invoke', '{"input": {');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({
        error: {
          name: 'BadRequestError',
          message: 'The request body is not valid JSON.',
          requestId: expect.any(String),
        },
      });
      const noInput = await post('/v1/chains/qa/stream', { question: 'Hi' });
      expect(noInput.status).toBe(400);
      expect(((await noInput.json()) as any).error.name).toBe('BadRequestError');
    });

    it('answers 404 to an unknown chain and an unknown route', async () => {
      const chain = await post('/v1/chains/nope/stream', { input: {} });
      expect(chain.status).toBe(404);
      expect(chain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await chain.json()).toEqual({
        error: {
          name: 'NotFoundError',
          message: 'No chain is named "nope".',
          requestId: chain.headers.get('x-request-id'),
        },
      });
      const route = await fetch(`${server.url}/v2/whatever`);
      expect(route.status).toBe(404);
      expect(((await route.json()) as any).error.name).toBe('NotFoundError');
    });

    it('answers 400 to a chain name that is not valid percent-encoding', async () => {
      const response = await post('/v1/chains/%E0%A4%A/stream', { input: {} });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { name: 'BadRequestError', message: 'The request is malformed.', requestId: expect.any(String) },
      });
    });

    it('answers 413 to a body over the limit', async () => {
      const response = await post('/v1/chains/qa/invoke', { input: { question: 'x'.repeat(4096) } });
      expect(response.status).toBe(413);
      expect(((await response.json()) as any).error.name).toBe('PayloadTooLargeError');
    });

    it('answers 415 to a body that is not JSON', async () => {
      const response = await fetch(`${server.url}/v1/chains/qa/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'What is stepwise?',
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as any).error.name).toBe('UnsupportedMediaTypeError');
    });

    it('answers 415 to a charset other than UTF-8 and to a compressed body', async () => {
      const latin1 = await post(
        '/v1/chains/qa/invoke',
        { input: { question: 'Hi' } },
        {
          'content-type': 'application/json; charset=latin1',
        },
      );
      expect(latin1.status).toBe(415);
      const gzip = await post('/v1/chains/qa/invoke', { input: { question: 'Hi' } }, { 'content-encoding': 'gzip' });
      expect(gzip.status).toBe(415);
      const utf8 = await post(
        '/v1/chains/qa/invoke',
        { input: { question: 'Hi' } },
        {
          'content-type': 'application/json; charset=UTF-8',
        },
      );
      expect(utf8.status).toBe(200);
    });

    it('answers 422 with the issues when the input fails the schema, on every route', async () => {
      for (const route of ['invoke', 'stream']) {
        const response = await post(`/v1/chains/qa/${route}`, { input: { question: 42 } });
        expect(response.status).toBe(422);
        const body = (await response.json()) as any;
        expect(body.error.name).toBe('InputValidationError');
        expect(body.error.issues).toEqual([{ message: expect.any(String), path: ['question'] }]);
      }
    });

    it('echoes a valid x-request-id and generates one otherwise', async () => {
      const given = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-123.abc' } });
      expect(given.headers.get('x-request-id')).toBe('req-123.abc');
      const generated = await fetch(`${server.url}/healthz`);
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const junk = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a b<script>' } });
      expect(junk.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('logs one JSON line per request with the request id, without input or answer text', async () => {
      await post(
        '/v1/chains/qa/stream',
        { input: { question: 'my secret question' } },
        { 'x-request-id': 'log-test-1' },
      ).then((response) => response.text());
      await new Promise((resolve) => setTimeout(resolve, 20));
      const line = server.logs.find((entry) => entry.reqId === 'log-test-1');
      expect(line).toMatchObject({
        msg: 'request',
        method: 'POST',
        path: '/v1/chains/qa/stream',
        status: 200,
        chain: 'qa',
        outcome: 'ok',
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
      });
      expect(line?.runId).toEqual(expect.any(String));
      expect(JSON.stringify(server.logs)).not.toContain('my secret question');
      expect(JSON.stringify(server.logs)).not.toContain('ça marche');
    });
  });

  describe('failures', () => {
    it('ends a stream that fails mid-way with an SSE error part, never leaking internals', async () => {
      const runtime = scriptedRuntime({ throwAfterTokens: 2 });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      try {
        const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: { question: 'Hi' } }),
        });
        expect(response.status).toBe(200);
        const body = await response.text();
        expect(body).not.toContain('hunter2');
        const parts = sseParts(body);
        expect(parts.at(-1)).toBe('[DONE]');
        expect(parts.at(-2)).toEqual({
          type: 'error',
          errorText: 'Internal server error.',
          errorName: 'InternalServerError',
          requestId: response.headers.get('x-request-id'),
        });
        expect(parts).toContainEqual({ type: 'text-end', id: 'answer' });
        expect(parts).toContainEqual({
          type: 'data-step',
          id: 'answer',
          data: {
            status: 'failed',
            stepType: 'respond',
            error: { name: 'InternalServerError', message: 'Internal server error.' },
          },
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        const log = server.logs.find((line) => line.errorName === 'InternalServerError');
        expect(log?.level).toBe(50);
        expect((log?.err as { stack?: string } | undefined)?.stack).toContain('hunter2');
      } finally {
        await server.close();
      }
    });

    it('maps a failed step to an error part in the stream and to 502 on invoke', async () => {
      const { runtime } = localRuntime({ byStep: { relevant: { fail: 'ThrottlingException' } } });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      const post = (route: string) =>
        fetch(`${server.url}/v1/chains/qa/${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: { question: 'Hi' } }),
        });
      try {
        const parts = sseParts(await (await post('stream')).text());
        expect(parts.at(-1)).toBe('[DONE]');
        expect(parts.at(-2)).toMatchObject({
          type: 'error',
          errorText: expect.stringContaining('relevant'),
          errorName: 'StepFailedError',
          stepId: 'relevant',
        });
        expect(parts).not.toContainEqual(expect.objectContaining({ type: 'finish' }));
        const invoked = await post('invoke');
        expect(invoked.status).toBe(502);
        expect(((await invoked.json()) as any).error).toMatchObject({
          name: 'StepFailedError',
          stepId: 'relevant',
          error: 'Bedrock.ThrottlingException',
        });
      } finally {
        await server.close();
      }
    });
  });

  describe('server options', () => {
    it('logs input and answer text only with logContent', async () => {
      const server = await startTestServer(
        { runtime: scriptedRuntime(), chains: [qaChain], logContent: true },
        { entry },
      );
      try {
        const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': 'content-1' },
          body: JSON.stringify({ input: { question: 'my secret question' } }),
        });
        await response.text();
        await new Promise((resolve) => setTimeout(resolve, 20));
        const line = server.logs.find((entry) => entry.reqId === 'content-1');
        expect(line?.input).toEqual({ question: 'my secret question' });
        expect(line?.text).toBe('Hello, world!');
      } finally {
        await server.close();
      }
    });

    it('requires an API key when auth is on (Bearer or x-api-key), leaving /healthz open', async () => {
      const server = await startTestServer(
        {
          runtime: scriptedRuntime(),
          chains: [qaChain],
          auth: { apiKeys: ['k-1', 'k-2'] },
        },
        { entry },
      );
      try {
        const list = (headers: Record<string, string>) => fetch(`${server.url}/v1/chains`, { headers });
        const missing = await list({});
        expect(missing.status).toBe(401);
        expect(missing.headers.get('www-authenticate')).toBe('Bearer');
        expect(((await missing.json()) as any).error.name).toBe('UnauthorizedError');
        expect((await list({ authorization: 'Bearer k-3' })).status).toBe(401);
        expect((await list({ authorization: 'Bearer k-' })).status).toBe(401);
        expect((await list({ authorization: 'Bearer k-2' })).status).toBe(200);
        expect((await list({ 'x-api-key': 'k-1' })).status).toBe(200);
        const stream = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: { question: 'Hi' } }),
        });
        expect(stream.status).toBe(401);
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      } finally {
        await server.close();
      }
    });

    it('takes an auth function', async () => {
      const server = await startTestServer(
        {
          runtime: scriptedRuntime(),
          chains: [qaChain],
          auth: async (key, request) => key === 'fn-key' && request.url === '/v1/chains',
        },
        { entry },
      );
      try {
        expect((await fetch(`${server.url}/v1/chains`, { headers: { 'x-api-key': 'fn-key' } })).status).toBe(200);
        expect((await fetch(`${server.url}/v1/chains`, { headers: { 'x-api-key': 'other' } })).status).toBe(401);
      } finally {
        await server.close();
      }
    });

    it('handles CORS for allowed origins only, preflight included', async () => {
      const server = await startTestServer(
        {
          runtime: scriptedRuntime(),
          chains: [qaChain],
          cors: { origins: ['https://app.example.com'] },
          auth: { apiKeys: ['k'] },
        },
        { entry },
      );
      try {
        const preflight = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://app.example.com',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, authorization',
          },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
        expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
        expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
        expect(preflight.headers.get('vary')).toContain('Origin');

        const denied = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'OPTIONS',
          headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
        });
        expect(denied.status).toBe(403);
        expect(denied.headers.get('access-control-allow-origin')).toBeNull();
        expect(await denied.json()).toEqual({
          error: {
            name: 'ForbiddenError',
            message: 'This origin is not allowed.',
            requestId: denied.headers.get('x-request-id'),
          },
        });

        const actual = await fetch(`${server.url}/v1/chains`, {
          headers: { origin: 'https://app.example.com', authorization: 'Bearer k' },
        });
        expect(actual.status).toBe(200);
        expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
        expect(actual.headers.get('access-control-expose-headers')).toContain('x-request-id');

        const other = await fetch(`${server.url}/v1/chains`, {
          headers: { origin: 'https://evil.example.com', authorization: 'Bearer k' },
        });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await server.close();
      }
    });

    it('answers 429 with Retry-After over the concurrency limit', async () => {
      const runtime = scriptedRuntime({ firstTokenMs: 300 });
      const server = await startTestServer(
        {
          runtime,
          chains: [qaChain],
          limits: { concurrency: 2, retryAfterSeconds: 3 },
        },
        { entry },
      );
      const start = () =>
        fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: { question: 'Hi' } }),
        });
      try {
        const first = await start();
        const second = await start();
        const third = await start();
        expect(third.status).toBe(429);
        expect(third.headers.get('retry-after')).toBe('3');
        expect(((await third.json()) as any).error.name).toBe('TooManyRequestsError');
        expect(first.status).toBe(200);
        expect(second.status).toBe(200);
        await Promise.all([first.text(), second.text()]);
        const after = await start();
        expect(after.status).toBe(200);
        await after.text();
      } finally {
        await server.close();
      }
    });

    it('refuses two chains with one name', async () => {
      await expect(
        startTestServer({ runtime: scriptedRuntime(), chains: [qaChain, qaChain] }, { entry }),
      ).rejects.toThrow('Two chains are named "qa".');
    });
  });
});
