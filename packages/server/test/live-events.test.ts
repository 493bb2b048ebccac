import { defineChain, respond, task } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/start-test-server';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

const chain = defineChain({
  name: 'gated',
  steps: [
    task('first', { handler: 'first' }),
    task('slow', { handler: 'slow' }),
    respond('answer', { model: HAIKU, prompt: 'Go' }),
  ],
});

/** Streams the chain and reports whether `first`'s step-end arrived while `slow` was still running. */
async function firstEndSeenEarly(liveEvents: boolean): Promise<boolean> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let slowStarted!: () => void;
  const started = new Promise<void>((resolve) => {
    slowStarted = resolve;
  });
  const runtime = createLocalRuntime({
    models: fakeModels({ byStep: { answer: 'Done.' } }),
    handlers: {
      first: () => ({ ok: true }),
      slow: async () => {
        slowStarted();
        await gate;
        return { ok: true };
      },
    },
  });
  const server = await startTestServer({ runtime, chains: [chain], liveEvents });
  try {
    const response = await fetch(`${server.url}/v1/chains/gated/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: {} }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    await started;
    // Read what has arrived while `slow` waits (bounded: a few reads or 300 ms).
    // One read in flight at a time: a read that loses the race to the timer is awaited on the next turn.
    let pending = reader.read();
    const deadline = Date.now() + 300;
    let ended = false;
    while (Date.now() < deadline && !text.includes('"id":"first"')) {
      const next = await Promise.race([
        pending,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50)),
      ]);
      if (next === undefined) continue;
      if (next.done) {
        ended = true;
        break;
      }
      text += decoder.decode(next.value, { stream: true });
      pending = reader.read();
    }
    const early = /"id":"first","data":\{"status":"done"/.test(text);
    release();
    while (!ended) {
      const next = await pending;
      if (next.done) break;
      text += decoder.decode(next.value, { stream: true });
      pending = reader.read();
    }
    expect(text).toContain('data: [DONE]');
    expect(text).toContain('"type":"finish"');
    return early;
  } finally {
    release();
    await server.close();
  }
}

describe('liveEvents', () => {
  it('streams a finished step while the next one runs when on, and holds it back by default', async () => {
    expect(await firstEndSeenEarly(true)).toBe(true);
    expect(await firstEndSeenEarly(false)).toBe(false);
  });
});
