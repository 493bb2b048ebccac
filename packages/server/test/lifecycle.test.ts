import { type IncomingMessage, request } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../src/create-handler';
import { createServer } from '../src/create-server';
import { serve } from '../src/serve';
import { qaChain } from './helpers/chains';
import { localRuntime } from './helpers/local-runtime';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { ENTRIES, sseParts, startTestServer } from './helpers/start-test-server';

const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(' ');
const LONG = words(2000);
const body = JSON.stringify({ input: { question: 'Hi' } });
const headers = { 'content-type': 'application/json' };

/** Reads an SSE response until `predicate` holds for the text so far; `rest()` reads the remainder. */
async function readUntil(response: Response, predicate: (text: string) => boolean) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return {
    text,
    async rest() {
      let more = '';
      while (true) {
        const { done, value } = await reader.read();
        if (done) return more + decoder.decode();
        more += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe.each(ENTRIES)('%s', (entry) => {
  const create = entry === 'createHandler' ? createHandler : createServer;

  describe('client disconnects', () => {
    it('aborts the run: the model stops producing tokens within 100 ms', async () => {
      const { runtime, counter } = localRuntime({ byStep: { answer: LONG }, tokenMs: 5 });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      try {
        const controller = new AbortController();
        const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'POST',
          headers,
          body,
          signal: controller.signal,
        });
        await readUntil(response, (text) => text.split('"text-delta"').length > 5);
        const started = Date.now();
        controller.abort();
        const atAbort = counter.deltas;
        await sleep(100);
        const after100 = counter.deltas;
        await sleep(300);
        // the fake model produced nothing more after 100 ms, and far from all its 2,000 tokens
        expect(counter.deltas).toBe(after100);
        expect(after100 - atAbort).toBeLessThan(25);
        expect(counter.deltas).toBeLessThan(500);
        await sleep(20);
        const line = server.logs.find((entry) => entry.path === '/v1/chains/qa/stream');
        expect(line?.outcome).toBe('aborted');
        await server.close();
        // nothing was left open: close did not wait for the shutdown deadline
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        await server.close();
      }
    });

    it('aborts a run whose events the server pulls (a runtime without push delivery) too', async () => {
      const runtime = scriptedRuntime({ tokens: LONG.split(' '), tokenMs: 5 });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      try {
        const controller = new AbortController();
        const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'POST',
          headers,
          body,
          signal: controller.signal,
        });
        await readUntil(response, (text) => text.split('"text-delta"').length > 5);
        controller.abort();
        await sleep(100);
        const after100 = runtime.counters.produced;
        await sleep(200);
        expect(runtime.counters.produced).toBe(after100);
        expect(runtime.counters.produced).toBeLessThan(500);
        await sleep(20);
        expect(server.logs.find((entry) => entry.path === '/v1/chains/qa/stream')?.outcome).toBe('aborted');
      } finally {
        await server.close();
      }
    });

    it('aborts an invoke run too', async () => {
      const { runtime, counter } = localRuntime({ byStep: { answer: LONG }, tokenMs: 5 });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      try {
        const controller = new AbortController();
        const pending = fetch(`${server.url}/v1/chains/qa/invoke`, {
          method: 'POST',
          headers,
          body,
          signal: controller.signal,
        }).catch((error: unknown) => error);
        while (counter.deltas < 5) await sleep(5);
        controller.abort();
        await pending;
        await sleep(100);
        const after100 = counter.deltas;
        await sleep(200);
        expect(counter.deltas).toBe(after100);
        expect(counter.deltas).toBeLessThan(500);
      } finally {
        await server.close();
      }
    });
  });

  describe('flushing', () => {
    it('writes each event when it happens: the first delta arrives before the model makes the second', async () => {
      const { runtime, counter } = localRuntime({ byStep: { answer: words(3) }, tokenMs: 800 });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      try {
        const response = await fetch(`${server.url}/v1/chains/qa/stream`, { method: 'POST', headers, body });
        const first = await readUntil(response, (text) => text.includes('"text-delta"'));
        expect(counter.deltas).toBe(1);
        const parts = sseParts(first.text + (await first.rest()));
        expect(parts.filter((part) => (part as { type?: string }).type === 'text-delta')).toHaveLength(3);
      } finally {
        await server.close();
      }
    });
  });

  describe('back-pressure', () => {
    it('stops pulling from a runtime while the client does not read', async () => {
      const big = 'x'.repeat(64 * 1024);
      const runtime = scriptedRuntime({ tokens: Array.from({ length: 400 }, () => big) });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      const url = new URL(`${server.url}/v1/chains/qa/stream`);
      let response: IncomingMessage | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          const req = request(
            { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers },
            (res) => {
              response = res;
              res.pause();
              resolve();
            },
          );
          req.on('error', reject);
          req.end(body);
        });
        await sleep(300);
        // 400 x 64 KiB = 25 MiB asked; with nobody reading, the socket buffers fill and the server stops pulling
        const whilePaused = runtime.counters.produced;
        expect(whilePaused).toBeGreaterThan(0);
        expect(whilePaused).toBeLessThan(200);
        await sleep(100);
        expect(runtime.counters.produced).toBe(whilePaused);
        let received = 0;
        const ended = new Promise((resolve) => response!.on('end', resolve));
        response!.on('data', (chunk: Buffer) => {
          received += chunk.length;
        });
        response!.resume();
        await ended;
        expect(runtime.counters.produced).toBe(400);
        expect(received).toBeGreaterThan(400 * big.length);
      } finally {
        response?.destroy();
        await server.close();
      }
    });
  });

  describe('graceful shutdown', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('stops accepting, lets open streams finish, then resolves', async () => {
      const { runtime } = localRuntime({ byStep: { answer: words(20) }, tokenMs: 15 });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
      const response = await fetch(`${server.url}/v1/chains/qa/stream`, { method: 'POST', headers, body });
      const first = await readUntil(response, (text) => text.includes('text-delta'));
      let closed = false;
      const closing = server.close().then(() => {
        closed = true;
      });
      await sleep(20);
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      expect(closed).toBe(false);
      const parts = sseParts(first.text + (await first.rest()));
      expect(parts.at(-1)).toBe('[DONE]');
      expect(parts.at(-2)).toMatchObject({ type: 'finish' });
      expect(parts.filter((part) => (part as { type?: string }).type === 'text-delta')).toHaveLength(20);
      await closing;
      expect(closed).toBe(true);
    });

    it('aborts streams still open at the deadline with an error part', async () => {
      const { runtime, counter } = localRuntime({ byStep: { answer: LONG }, tokenMs: 5 });
      const server = await startTestServer({ runtime, chains: [qaChain] }, { entry, shutdownMs: 100 });
      const response = await fetch(`${server.url}/v1/chains/qa/stream`, { method: 'POST', headers, body });
      const first = await readUntil(response, (text) => text.includes('text-delta'));
      const started = Date.now();
      const closing = server.close();
      const parts = sseParts(first.text + (await first.rest()));
      await closing;
      expect(Date.now() - started).toBeLessThan(1500);
      expect(parts.at(-1)).toBe('[DONE]');
      expect(parts.at(-2)).toMatchObject({ type: 'error', errorName: 'AbortedError' });
      const stopped = counter.deltas;
      await sleep(100);
      expect(counter.deltas).toBe(stopped);
    });

    it('shuts down on a signal and exits', async () => {
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      const app = create({ runtime: scriptedRuntime(), chains: [qaChain], logger: false });
      const handle = await serve(app, { port: 0, host: '127.0.0.1', signals: ['SIGUSR2'] });
      expect((await fetch(`${handle.url}/healthz`)).status).toBe(200);
      process.emit('SIGUSR2');
      await handle.close();
      await sleep(10);
      expect(exit).toHaveBeenCalledWith(0);
      await expect(fetch(`${handle.url}/healthz`)).rejects.toThrow();
      expect(process.listenerCount('SIGUSR2')).toBe(0);
    });

    it('takes the port from AWS_LWA_PORT, then PORT', async () => {
      const free = await new Promise<number>((resolve) => {
        const probe = createNetServer().listen(0, '127.0.0.1', () => {
          const port = (probe.address() as { port: number }).port;
          probe.close(() => resolve(port));
        });
      });
      vi.stubEnv('AWS_LWA_PORT', String(free));
      vi.stubEnv('PORT', '1');
      try {
        const handle = await serve(create({ runtime: scriptedRuntime(), chains: [], logger: false }), {
          host: '127.0.0.1',
          signals: [],
        });
        expect(handle.port).toBe(free);
        expect(handle.url).toBe(`http://127.0.0.1:${free}`);
        await handle.close();
      } finally {
        vi.unstubAllEnvs();
      }
    });
  });
});
