import { createServer as createHttpServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ChainEvent, type ChainRuntime, createPushIterable, defineChain, respond } from '@stepwise/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandler } from '../create-handler';

const chain = defineChain({
  name: 'answer',
  steps: [respond('answer', { model: 'anthropic.claude-3-haiku-20240307-v1:0', prompt: '{{input.question}}' })],
});

const usage = { inputTokens: 1, outputTokens: 3 };
const opening: ChainEvent[] = [
  { type: 'chain-start', runId: 'run-1', chain: 'answer' },
  { type: 'step-start', stepId: 'answer', stepType: 'respond' },
];
const closing: ChainEvent[] = [
  { type: 'step-end', stepId: 'answer', stepType: 'respond', output: { text: 'a b c', usage }, usage, ms: 3 },
  {
    type: 'chain-end',
    output: 'a b c',
    text: 'a b c',
    usage: { ...usage, totalTokens: 4, byModel: {} },
    ms: 3,
  },
];

/**
 * A runtime that pushes its events in batches, one batch per turn of the event loop (a timer each), as runtime-local
 * pushes a model's tokens: `before` (awaited, if given) holds back the second batch.
 */
function batchedRuntime(batches: ChainEvent[][], before?: Promise<void>): ChainRuntime {
  return {
    name: 'batched',
    run: () => Promise.reject(new Error('not used')),
    stream: () =>
      createPushIterable<ChainEvent>((sink) => {
        let index = 0;
        let timer: NodeJS.Timeout | undefined;
        const next = () => {
          for (const event of batches[index++]!) sink.push(event);
          if (index === batches.length) sink.end();
          else timer = setTimeout(next, 2);
        };
        next();
        if (before !== undefined) {
          clearTimeout(timer);
          void before.then(() => {
            timer = setTimeout(next, 0);
          });
        }
        return () => clearTimeout(timer);
      }),
  } as unknown as ChainRuntime;
}

/** What the server handed to each socket, one string per flush to the operating system (`_write` or `_writev`). */
interface Flushes {
  server: Server;
  port: number;
  flushes: string[];
}

let open: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve()));
  open = undefined;
});

async function serveCounting(runtime: ChainRuntime): Promise<Flushes> {
  const flushes: string[] = [];
  const server = createHttpServer(createHandler({ runtime, chains: [chain], logger: false, playground: false }));
  server.on('connection', (socket: Socket) => {
    const stream = socket as unknown as {
      _write(chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
      _writev(chunks: Array<{ chunk: unknown }>, callback: (error?: Error | null) => void): void;
    };
    const write = stream._write.bind(socket);
    const writev = stream._writev.bind(socket);
    stream._write = (chunk, encoding, callback) => {
      flushes.push(String(chunk));
      write(chunk, encoding, callback);
    };
    stream._writev = (chunks, callback) => {
      flushes.push(chunks.map(({ chunk }) => String(chunk)).join(''));
      writev(chunks, callback);
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open = server;
  return { server, port: (server.address() as AddressInfo).port, flushes };
}

/** POSTs to a run route and resolves when the response head arrives, with the body to come. */
function post(port: number, path: string, accept: string) {
  const body = JSON.stringify({ input: { question: 'Why?' } });
  return new Promise<{ status: number; body: Promise<string> }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', accept, connection: 'close' },
      },
      (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        resolve({ status: res.statusCode!, body: new Promise((done) => res.on('end', () => done(text))) });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const deltas = ['a', ' b', ' c'].map((delta): ChainEvent => ({ type: 'text-delta', stepId: 'answer', delta }));

describe('streamRun: one write per turn of the event loop, the head with the first event', () => {
  it('SSE: the head goes out in the same write as the first events, and each token in the turn it was pushed', async () => {
    const { port, flushes } = await serveCounting(
      batchedRuntime([opening, [deltas[0]!], [deltas[1]!], [deltas[2]!, ...closing]]),
    );
    const response = await post(port, '/v1/chains/answer/stream', 'text/event-stream');
    expect(response.status).toBe(200);
    const body = await response.body;
    expect(body).toContain('data: {"type":"text-delta","id":"answer","delta":" b"}\n\n');
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    // the head and the run's first two events: one write (not a head flushed on its own, then the events)
    expect(flushes[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(flushes[0]).toContain('data: {"type":"start","messageId":"run-1"');
    expect(flushes[0]).toContain('data: {"type":"data-step","id":"answer"');
    // each token in a write of its own, in the turn that produced it (none held back to join the next)
    const withDelta = flushes.filter((flush) => flush.includes('"type":"text-delta"'));
    expect(withDelta).toHaveLength(3);
    expect(withDelta[0]).toContain('"delta":"a"');
    expect(withDelta[1]).toContain('"delta":" b"');
    expect(withDelta[2]).toContain('"delta":" c"');
    expect(withDelta[2]).toContain('"type":"finish"');
  });

  it('text/plain: the head goes out with the first text delta', async () => {
    const { port, flushes } = await serveCounting(batchedRuntime([opening, [deltas[0]!], [deltas[1]!, ...closing]]));
    const response = await post(port, '/v1/chains/answer/stream', 'text/plain');
    expect(await response.body).toBe('a b');
    // the head, then the first chunk (its length, `a`)
    expect(flushes[0]).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*content-type: text\/plain; charset=utf-8\r\n[\s\S]*\r\n\r\n1\r\na\r\n$/,
    );
    expect(flushes.filter((flush) => flush.includes(' b'))).toHaveLength(1);
  });

  it('SSE: a first event without a part still sends the head at once', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // a retry of a step the stream never reported encodes to nothing; the run then waits for the test
    const retry: ChainEvent = {
      type: 'step-retry',
      stepId: 'elsewhere',
      attempt: 1,
      error: { name: 'Bedrock.ThrottlingException', message: 'slow down' },
    } as ChainEvent;
    const { port } = await serveCounting(batchedRuntime([[retry], [...opening, ...deltas, ...closing]], held));
    // the head arrives while the run is held (without it, the response would wait for the rest of the run)
    const headOrTimeout = await Promise.race([
      post(port, '/v1/chains/answer/stream', 'text/event-stream'),
      sleep(2_000).then(() => 'no head while the run was held' as const),
    ]);
    release();
    if (typeof headOrTimeout === 'string') throw new Error(headOrTimeout);
    const response = headOrTimeout;
    expect(response.status).toBe(200);
    const body = await response.body;
    expect(body).toContain('data: {"type":"start","messageId":"run-1"');
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});
