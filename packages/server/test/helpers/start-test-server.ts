import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createHandler } from '../../src/create-handler';
import { createServer } from '../../src/create-server';
import { type ServerHandle, serve } from '../../src/serve';
import type { ServerOptions } from '../../src/server-options';

/**
 * The two ways to serve the HTTP contract, which must not drift apart: the Express app (`createServer`) and the
 * plain `node:http` listener (`createHandler`). Tests that cover the contract run against both.
 */
export const ENTRIES = ['createServer', 'createHandler'] as const;
export type Entry = (typeof ENTRIES)[number];

/** A server on a free loopback port, with its JSON log lines collected; `entry` picks how it is made. */
export async function startTestServer(
  options: Omit<ServerOptions, 'logger'> & { logContent?: boolean },
  serveOptions: { shutdownMs?: number; entry?: Entry } = {},
): Promise<ServerHandle & { logs: Array<Record<string, unknown>> }> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line));
      callback();
    },
  });
  const { logContent, ...rest } = options;
  const { entry = 'createServer', ...listen } = serveOptions;
  const app = (entry === 'createHandler' ? createHandler : createServer)({
    ...rest,
    logger: { instance: pino({ level: 'info' }, destination), logContent: logContent ?? false },
  });
  const handle = await serve(app, { port: 0, host: '127.0.0.1', signals: [], ...listen });
  return Object.assign(handle, { logs });
}

/** Reads a response body to the end as text. */
export async function readText(response: Response): Promise<string> {
  return await response.text();
}

/** The parts of an SSE body, `[DONE]` as the string. */
export function sseParts(body: string): unknown[] {
  return body
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => {
      const data = block.slice('data: '.length);
      return data === '[DONE]' ? data : JSON.parse(data);
    });
}
