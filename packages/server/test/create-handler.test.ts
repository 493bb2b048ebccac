import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../src/create-handler';
import { qaChain } from './helpers/chains';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { sseParts } from './helpers/start-test-server';

const SERVER = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./fixtures/list-loaded-modules.mjs', import.meta.url));

/** The module URLs resolved while `specifier` is imported in a fresh Node process (TypeScript sources). */
function modulesLoadedBy(specifier: string): string[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=stepwise-source', PROBE, specifier], {
    cwd: SERVER,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`the probe failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
}

const isExpress = (url: string) => /\/node_modules\/(?:\.pnpm\/)?express(?:@[^/]*)?\//.test(url);

describe('@stepwise/server/handler', () => {
  it('loads no Express: no module of the express package is resolved while it is imported', () => {
    const handlerEntry = modulesLoadedBy('@stepwise/server/handler');
    expect(handlerEntry).toContain(new URL('../src/create-handler.ts', import.meta.url).href);
    expect(handlerEntry.some((url) => url.includes('/pino/'))).toBe(true);
    expect(handlerEntry.filter(isExpress)).toEqual([]);
    // the probe sees Express where it is: the main entry (createServer) loads it
    const mainEntry = modulesLoadedBy('@stepwise/server');
    expect(mainEntry.filter(isExpress).length).toBeGreaterThan(0);
  });
});

/** A server for the test's own listener, on a free loopback port. */
async function listen(listener: Parameters<typeof createHttpServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function collectLogs() {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line));
      callback();
    },
  });
  return { logs, logger: { instance: pino({ level: 'info' }, destination) } };
}

const json = { 'content-type': 'application/json' };
const body = JSON.stringify({ input: { question: 'Hi' } });

describe('createHandler as Express middleware, mounted beside the app’s own routes', () => {
  const { logs, logger } = collectLogs();
  const seenUrls: string[] = [];
  let url: string;
  let server: Server;

  beforeAll(async () => {
    const app = express();
    app.get('/mine', (_req, res) => {
      res.json({ mine: true });
    });
    const handler = createHandler({
      runtime: scriptedRuntime(),
      chains: [qaChain],
      logger,
      auth: (key, request) => {
        seenUrls.push(request.url ?? '');
        return key === 'k';
      },
    });
    app.use('/ai', handler);
    app.use((_req, res) => {
      res.status(404).json({ outer: true });
    });
    ({ url, server } = await listen(app));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers its routes under the mount point, with the request id and a log line naming the whole path', async () => {
    const health = await fetch(`${url}/ai/healthz`, { headers: { 'x-request-id': 'mounted-1' } });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('x-request-id')).toBe('mounted-1');

    const invoked = await fetch(`${url}/ai/v1/chains/qa/invoke`, {
      method: 'POST',
      headers: { ...json, 'x-api-key': 'k', 'x-request-id': 'mounted-2' },
      body,
    });
    expect(invoked.status).toBe(200);
    expect(((await invoked.json()) as { text: string }).text).toBe('Hello, world!');
    // the auth function sees the path below the mount point, as the handler does
    expect(seenUrls).toContain('/v1/chains/qa/invoke');
    await sleep(20);
    expect(logs.find((line) => line.reqId === 'mounted-2')).toMatchObject({
      path: '/ai/v1/chains/qa/invoke',
      status: 200,
      outcome: 'ok',
    });
  });

  it('streams SSE through Express', async () => {
    const response = await fetch(`${url}/ai/v1/chains/qa/stream`, {
      method: 'POST',
      headers: { ...json, 'x-api-key': 'k' },
      body,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const parts = sseParts(await response.text());
    expect(parts.at(-2)).toMatchObject({ type: 'finish' });
    expect(parts.at(-1)).toBe('[DONE]');
  });

  it('hands on what it has no route for, untouched: no request id, no log line, no 401', async () => {
    const before = logs.length;
    const mine = await fetch(`${url}/mine`);
    expect(await mine.json()).toEqual({ mine: true });
    for (const path of ['/ai/nope', '/ai/v1/nope', '/ai/v1/chains/qa/invoke']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toEqual({ outer: true });
      expect(response.headers.get('x-request-id'), path).toBeNull();
    }
    await sleep(20);
    expect(logs.length).toBe(before);
  });

  it('still answers its own errors: an unknown chain, a missing key', async () => {
    const unknown = await fetch(`${url}/ai/v1/chains/nope/invoke`, {
      method: 'POST',
      headers: { ...json, 'x-api-key': 'k' },
      body,
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('No chain is named "nope".');
    const locked = await fetch(`${url}/ai/v1/chains`);
    expect(locked.status).toBe(401);
    expect(locked.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('createHandler after a body parser', () => {
  it('takes the body express.json() already parsed', async () => {
    const app = express();
    app.use(express.json());
    app.use(createHandler({ runtime: scriptedRuntime(), chains: [qaChain], logger: false }));
    const { url, server } = await listen(app);
    try {
      const invoked = await fetch(`${url}/v1/chains/qa/invoke`, { method: 'POST', headers: json, body });
      expect(invoked.status).toBe(200);
      expect(((await invoked.json()) as { text: string }).text).toBe('Hello, world!');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers 400 when a parser read the body and kept no JSON of it', async () => {
    const app = express();
    app.use(express.text({ type: 'application/json' }));
    app.use(createHandler({ runtime: scriptedRuntime(), chains: [qaChain], logger: false }));
    const { url, server } = await listen(app);
    try {
      const invoked = await fetch(`${url}/v1/chains/qa/invoke`, { method: 'POST', headers: json, body });
      expect(invoked.status).toBe(400);
      expect(((await invoked.json()) as { error: { message: string } }).error.message).toBe(
        'The request body was read before it reached stepwise.',
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('createHandler on a plain node:http server', () => {
  it('serves the contract without serve(), and as middleware of a plain listener calls next for the rest', async () => {
    const handler = createHandler({ runtime: scriptedRuntime(), chains: [qaChain], logger: false });
    const plain = await listen(handler);
    const passed: string[] = [];
    const chained = await listen((req, res) =>
      handler(req, res, () => {
        passed.push(req.url ?? '');
        res.statusCode = 418;
        res.end('mine');
      }),
    );
    try {
      const streamed = await fetch(`${plain.url}/v1/chains/qa/stream`, { method: 'POST', headers: json, body });
      expect(sseParts(await streamed.text()).at(-1)).toBe('[DONE]');
      const unknown = await fetch(`${plain.url}/teapot`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { name: string } }).error.name).toBe('NotFoundError');

      expect((await fetch(`${chained.url}/healthz`)).status).toBe(200);
      const teapot = await fetch(`${chained.url}/teapot?x=1`);
      expect(teapot.status).toBe(418);
      expect(await teapot.text()).toBe('mine');
      expect(passed).toEqual(['/teapot?x=1']);
    } finally {
      await new Promise((resolve) => plain.server.close(resolve));
      await new Promise((resolve) => chained.server.close(resolve));
    }
  });
});
