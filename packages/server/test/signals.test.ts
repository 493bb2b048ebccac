import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENTRIES, type Entry, sseParts } from './helpers/start-test-server';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./fixtures/serve-slow-streams.ts', import.meta.url));

/** Starts the fixture server in its own process; resolves with its URL once it listens. */
async function startChild(entry: Entry): Promise<{
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=stepwise-source', SCRIPT, entry], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    child.on('exit', () => reject(new Error(`the server exited before listening: ${stderr}`)));
  });
  return { child, url, exited };
}

/** Opens a stream and reads it in the background; `text()` is everything read so far. */
async function openStream(url: string) {
  const response = await fetch(`${url}/v1/chains/qa/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: { question: 'Hi' } }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const done = (async () => {
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  while (!text.includes('text-delta')) await sleep(10);
  return { text: () => text, done };
}

describe.each(
  ENTRIES.flatMap((entry) =>
    (
      [
        ['SIGTERM', 'SIGTERM'],
        ['SIGINT', 'SIGINT'],
        ['SIGTERM', 'SIGINT'],
      ] as const
    ).map(([first, second]) => [entry, first, second] as const),
  ),
)('%s: %s, then %s during the drain', (entry, first, second) => {
  it('the first signal drains, the second aborts the open runs at once: error part and [DONE], exit 0', async () => {
    const { child, url, exited } = await startChild(entry);
    try {
      const streams = [await openStream(url), await openStream(url)];
      child.kill(first);
      await sleep(300);
      // draining: the runs go on, new connections are refused
      expect(child.exitCode).toBeNull();
      const lengths = streams.map((stream) => stream.text().length);
      await sleep(100);
      expect(streams.map((stream, index) => stream.text().length > lengths[index]!)).toEqual([true, true]);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();

      const aborted = Date.now();
      child.kill(second);
      await Promise.all(streams.map((stream) => stream.done));
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - aborted).toBeLessThan(3000);
      for (const stream of streams) {
        const parts = sseParts(stream.text());
        expect(parts.at(-1)).toBe('[DONE]');
        expect(parts.at(-2)).toMatchObject({
          type: 'error',
          errorName: 'AbortedError',
          errorText: 'The server is shutting down.',
        });
        expect((parts as Array<{ type?: string }>).map((part) => part.type)).not.toContain('finish');
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
