import { setTimeout as sleep } from 'node:timers/promises';
import { AbortedError, type ChainEvent, InputValidationError, StepFailedError } from '@stepwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, invokeChain, streamChain } from '../src/client/index';
import { qaChain } from './helpers/chains';
import { ANSWER, localRuntime } from './helpers/local-runtime';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { startTestServer } from './helpers/start-test-server';

const withoutTimings = (events: ChainEvent[]) =>
  events
    .map((event) => ('ms' in event ? { ...event, ms: 0 } : event))
    .map((event) => (event.type === 'chain-start' ? { ...event, runId: '' } : event));

describe('@stepwise/server/client', () => {
  const runtime = scriptedRuntime({ tokens: ['Ça ', 'va ', '🚀'] });
  const local = localRuntime();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer({
      runtime,
      chains: [qaChain],
      auth: { apiKeys: ['secret'] },
      limits: { concurrency: 1, retryAfterSeconds: 2 },
    });
    url = `${server.url}/v1/chains/qa`;
  });
  afterAll(async () => {
    await server.close();
  });
  const headers = { authorization: 'Bearer secret' };

  it('streamChain yields the events the runtime yields', async () => {
    const viaHttp: ChainEvent[] = [];
    for await (const event of streamChain(url, { question: 'Hi' }, { headers })) viaHttp.push(event);
    const direct: ChainEvent[] = [];
    for await (const event of runtime.stream(qaChain, { question: 'Hi' })) direct.push(event);
    expect(withoutTimings(viaHttp)).toEqual(withoutTimings(direct));
    expect(viaHttp.at(-1)).toMatchObject({ type: 'chain-end', text: 'Ça va 🚀' });
  });

  it('streamChain yields the events runtime-local yields', async () => {
    const server = await startTestServer({ runtime: local.runtime, chains: [qaChain] });
    try {
      const viaHttp: ChainEvent[] = [];
      for await (const event of streamChain(`${server.url}/v1/chains/qa`, { question: 'What is stepwise?' })) {
        viaHttp.push(event);
      }
      const direct: ChainEvent[] = [];
      for await (const event of local.runtime.stream(qaChain, { question: 'What is stepwise?' })) direct.push(event);
      expect(withoutTimings(viaHttp)).toEqual(withoutTimings(direct));
      expect(viaHttp.at(-1)).toMatchObject({ type: 'chain-end', text: ANSWER });
      const result = await invokeChain(`${server.url}/v1/chains/qa`, { question: 'What is stepwise?' });
      expect(result.text).toBe(ANSWER);
    } finally {
      await server.close();
    }
  });

  it('invokeChain resolves with the result', async () => {
    const result = await invokeChain(url, { question: 'Hi' }, { headers });
    expect(result.text).toBe('Ça va 🚀');
    expect(Object.keys(result.steps)).toEqual(['docs', 'relevant', 'answer']);
  });

  it('throws typed errors: 422 InputValidationError with issues, 401/404/429 HttpError, 502 StepFailedError', async () => {
    const invalid = await invokeChain(url, { question: '' }, { headers }).catch((error: unknown) => error);
    expect(InputValidationError.isInstance(invalid)).toBe(true);
    expect((invalid as InputValidationError).issues[0]?.path).toEqual(['question']);

    const streamInvalid = await (async () => {
      for await (const _ of streamChain(url, { question: 1 }, { headers })) {
      }
    })().catch((error: unknown) => error);
    expect(InputValidationError.isInstance(streamInvalid)).toBe(true);

    const unauthorized = await invokeChain(url, { question: 'Hi' }).catch((error: unknown) => error);
    expect(HttpError.isInstance(unauthorized)).toBe(true);
    expect(unauthorized).toMatchObject({ status: 401, errorName: 'UnauthorizedError', retryable: false });

    const missing = await invokeChain(`${server.url}/v1/chains/nope`, {}, { headers }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ name: 'HttpError', status: 404, errorName: 'NotFoundError' });

    runtime.script.failStep = 'relevant';
    try {
      const failed = await invokeChain(url, { question: 'Hi' }, { headers }).catch((error: unknown) => error);
      expect(StepFailedError.isInstance(failed)).toBe(true);
      expect(failed).toMatchObject({ stepId: 'relevant', error: 'Bedrock.ThrottlingException' });
      const events: ChainEvent[] = [];
      for await (const event of streamChain(url, { question: 'Hi' }, { headers })) events.push(event);
      expect(events.at(-1)).toEqual({
        type: 'error',
        error: {
          name: 'StepFailedError',
          message: 'Step "relevant" failed with Bedrock.ThrottlingException: the model is receiving too many requests.',
          stepId: 'relevant',
        },
      });
    } finally {
      runtime.script.failStep = undefined;
    }

    runtime.script.firstTokenMs = 200;
    try {
      const first = streamChain(url, { question: 'Hi' }, { headers })[Symbol.asyncIterator]();
      await first.next();
      const busy = await invokeChain(url, { question: 'Hi' }, { headers }).catch((error: unknown) => error);
      expect(busy).toMatchObject({ name: 'HttpError', status: 429, retryAfterSeconds: 2, retryable: true });
      await first.return?.(undefined);
    } finally {
      runtime.script.firstTokenMs = 0;
    }
  });

  async function waitForAborts(count: number) {
    for (let waited = 0; runtime.counters.aborted < count && waited < 1000; waited += 10) await sleep(10);
  }

  it('aborting the signal or leaving the loop closes the stream and aborts the run', async () => {
    runtime.script.tokenMs = 10;
    runtime.script.tokens = Array.from({ length: 500 }, () => 'x');
    try {
      const abortedBefore = runtime.counters.aborted;
      const controller = new AbortController();
      const error = await (async () => {
        for await (const event of streamChain(url, { question: 'Hi' }, { headers, signal: controller.signal })) {
          if (event.type === 'text-delta') controller.abort();
        }
      })().catch((caught: unknown) => caught);
      expect(AbortedError.isInstance(error)).toBe(true);
      await waitForAborts(abortedBefore + 1);
      await sleep(20); // the server releases the run's concurrency slot just after the runtime stops

      for await (const event of streamChain(url, { question: 'Hi' }, { headers })) {
        if (event.type === 'text-delta') break;
      }
      await waitForAborts(abortedBefore + 2);
      expect(runtime.counters.aborted).toBe(abortedBefore + 2);
    } finally {
      runtime.script.tokenMs = 0;
      runtime.script.tokens = ['Ça ', 'va ', '🚀'];
    }
  });
});
