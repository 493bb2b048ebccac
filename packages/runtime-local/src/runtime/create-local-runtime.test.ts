import {
  AbortedError,
  type ChainEvent,
  choose,
  defineChain,
  invoke,
  isTrue,
  type ModelProvider,
  map,
  parallel,
  respond,
  retrieve,
  StepFailedError,
  task,
  transform,
  when,
} from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { fakeModels } from '../fake/fake-models';
import { createLocalRuntime } from './create-local-runtime';
import { createManualClock } from './manual-clock';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Wraps a provider and counts the model streams that are open right now. */
function countingStreams(inner: ModelProvider): ModelProvider & { open: number } {
  const counter = {
    specificationVersion: 'v1' as const,
    provider: 'counting',
    open: 0,
    doInvoke: inner.doInvoke.bind(inner),
    async *doStream(...args: Parameters<ModelProvider['doStream']>) {
      counter.open++;
      try {
        yield* inner.doStream(...args);
      } finally {
        counter.open--;
      }
    },
  };
  return counter;
}

describe('createLocalRuntime: map', () => {
  it('never runs more than maxConcurrency iterations at once and keeps item order', async () => {
    let inFlight = 0;
    let peak = 0;
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        work: async (input) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          const { n } = input as { n: number };
          await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
          inFlight--;
          return n * 2;
        },
      },
    });
    const chain = defineChain({
      name: 'fan',
      steps: [
        map('each', {
          items: 'input.items',
          maxConcurrency: 3,
          steps: [task('work', { handler: 'work', input: { n: 'item' } })],
        }),
      ],
    });
    const items = Array.from({ length: 40 }, (_, index) => index);
    const result = await runtime.run(chain, { items });
    expect(result.output).toEqual(items.map((n) => n * 2));
    expect(peak).toBe(3);
  });

  it('starts every iteration at once without maxConcurrency', async () => {
    let started = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        wait: async () => {
          started++;
          await gate;
          return null;
        },
      },
    });
    const chain = defineChain({
      name: 'fan',
      steps: [map('each', { items: 'input.items', steps: [task('wait', { handler: 'wait' })] })],
    });
    const running = runtime.run(chain, { items: Array.from({ length: 100 }, (_, index) => index) });
    await tick();
    expect(started).toBe(100);
    release();
    await running;
  });

  it('stops the other iterations when one fails, and fails with its error', async () => {
    const aborted: number[] = [];
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        work: (input, { signal }) => {
          const { n } = input as { n: number };
          if (n === 2) throw Object.assign(new Error('boom'), { name: 'WorkError' });
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve(aborted.push(n))));
        },
      },
    });
    const chain = defineChain({
      name: 'fan',
      steps: [
        map('each', {
          items: 'input.items',
          maxConcurrency: 4,
          steps: [task('work', { handler: 'work', input: { n: 'item' } })],
        }),
      ],
    });
    const failure = await runtime.run(chain, { items: [0, 1, 2, 3, 4, 5] }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'StepFailedError', error: 'WorkError', stepId: 'work' });
    expect(aborted.sort()).toEqual([0, 1, 3]);
  });

  it('schedules iterations lazily: the next one starts when one ends, in item order', async () => {
    const started: number[] = [];
    const gates = new Map<number, () => void>();
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        work: (input) => {
          const { n } = input as { n: number };
          started.push(n);
          return new Promise((resolve) => gates.set(n, () => resolve(n)));
        },
      },
    });
    const chain = defineChain({
      name: 'fan',
      steps: [
        map('each', {
          items: 'input.items',
          maxConcurrency: 3,
          steps: [task('work', { handler: 'work', input: { n: 'item' } })],
        }),
      ],
    });
    const running = runtime.run(chain, { items: Array.from({ length: 8 }, (_, index) => index) });
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates.get(1)!();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (let n = 0; n < 8; n++) {
      gates.get(n)?.();
      await tick();
    }
    expect((await running).output).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts no iteration after one failed, in a wide map too', async () => {
    const started: number[] = [];
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        work: async (input, { signal }) => {
          const { n } = input as { n: number };
          started.push(n);
          if (n === 0) throw Object.assign(new Error('boom'), { name: 'WorkError' });
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (signal.aborted) throw signal.reason;
          return n;
        },
      },
    });
    const chain = defineChain({
      name: 'fan',
      steps: [
        map('each', {
          items: 'input.items',
          maxConcurrency: 40,
          steps: [task('work', { handler: 'work', input: { n: 'item' } })],
        }),
      ],
    });
    const items = Array.from({ length: 1000 }, (_, index) => index);
    const failure = await runtime.run(chain, { items }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'StepFailedError', error: 'WorkError', stepId: 'work' });
    // The first 40 start together; the first fails before any other ends, so none replaces them.
    expect(started).toEqual(items.slice(0, 40));
  });

  it('does not let abort listeners that iterations leave behind pile up over a long map', async () => {
    const signals = new Set<AbortSignal>();
    const listeners = new WeakMap<AbortSignal, number>();
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        leak: async (input, { signal }) => {
          signals.add(signal);
          // A handler that forgets to remove its listener.
          signal.addEventListener('abort', () => {});
          listeners.set(signal, (listeners.get(signal) ?? 0) + 1);
          return (input as { n: number }).n;
        },
      },
    });
    const chain = defineChain({
      name: 'fan',
      steps: [
        map('each', {
          items: 'input.items',
          maxConcurrency: 20,
          steps: [task('leak', { handler: 'leak', input: { n: 'item' } })],
        }),
      ],
    });
    const items = Array.from({ length: 5000 }, (_, index) => index);
    expect((await runtime.run(chain, { items })).output).toEqual(items);
    const counts = [...signals].map((signal) => listeners.get(signal) ?? 0);
    expect(Math.max(...counts)).toBeLessThanOrEqual(64);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(5000);
  });
});

describe('createLocalRuntime: policies', () => {
  it('waits interval * backoff^n, capped by maxDelaySeconds, and emits step-retry', async () => {
    const clock = createManualClock();
    const models = fakeModels({ byStep: { classify: { text: 'ok', throttle: 3 } } });
    const runtime = createLocalRuntime({ models, clock });
    const chain = defineChain({
      name: 'retry',
      steps: [
        invoke('classify', {
          model: HAIKU,
          prompt: 'hi',
          policy: {
            retry: {
              errors: ['Bedrock.ThrottlingException'],
              maxAttempts: 3,
              intervalSeconds: 1,
              backoffRate: 2,
              maxDelaySeconds: 3,
            },
          },
        }),
      ],
    });
    const events: ChainEvent[] = [];
    const done = (async () => {
      for await (const event of runtime.stream(chain, {})) events.push(event);
    })();
    const waitFor = async (calls: number) => {
      for (let i = 0; i < 50 && models.calls.length < calls; i++) await tick();
      expect(models.calls.length).toBe(calls);
      await tick(); // lets the failed attempt reach its retry delay
    };
    await waitFor(1);
    clock.advance(999);
    await tick();
    expect(models.calls.length).toBe(1);
    clock.advance(1);
    await waitFor(2);
    clock.advance(1999);
    await tick();
    expect(models.calls.length).toBe(2);
    clock.advance(1);
    await waitFor(3);
    clock.advance(2999); // 4 s capped at 3 s
    await tick();
    expect(models.calls.length).toBe(3);
    clock.advance(1);
    await waitFor(4);
    await done;
    expect(events.filter((event) => event.type === 'step-retry')).toEqual([
      {
        type: 'step-retry',
        stepId: 'classify',
        attempt: 2,
        error: { name: 'Bedrock.ThrottlingException', message: expect.any(String) },
      },
      {
        type: 'step-retry',
        stepId: 'classify',
        attempt: 3,
        error: { name: 'Bedrock.ThrottlingException', message: expect.any(String) },
      },
      {
        type: 'step-retry',
        stepId: 'classify',
        attempt: 4,
        error: { name: 'Bedrock.ThrottlingException', message: expect.any(String) },
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'chain-end' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('FULL jitter scales each delay by the random source', async () => {
    const clock = createManualClock();
    const models = fakeModels({ byStep: { classify: { text: 'ok', throttle: 1 } } });
    const runtime = createLocalRuntime({ models, clock, random: () => 0.25 });
    const chain = defineChain({
      name: 'jitter',
      steps: [
        invoke('classify', {
          model: HAIKU,
          prompt: 'hi',
          policy: { retry: { errors: ['States.ALL'], intervalSeconds: 4, jitter: 'FULL' } },
        }),
      ],
    });
    const running = runtime.run(chain, {});
    await tick();
    clock.advance(999);
    await tick();
    expect(models.calls.length).toBe(1);
    clock.advance(1);
    await running;
    expect(models.calls.length).toBe(2);
  });

  it('applies timeoutSeconds to each attempt', async () => {
    const clock = createManualClock();
    let calls = 0;
    const runtime = createLocalRuntime({
      models: fakeModels(),
      clock,
      handlers: {
        sometimesSlow: () => {
          calls++;
          return calls === 1 ? new Promise(() => {}) : { fast: true };
        },
      },
    });
    const chain = defineChain({
      name: 'timeouts',
      steps: [
        task('call', {
          handler: 'sometimesSlow',
          policy: { timeoutSeconds: 5, retry: { errors: ['States.Timeout'], intervalSeconds: 1 } },
        }),
      ],
    });
    const running = runtime.run(chain, {});
    await tick();
    clock.advance(5000);
    await tick();
    clock.advance(1000);
    const result = await running;
    expect(result.output).toEqual({ fast: true });
    expect(calls).toBe(2);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never retries or catches States.Runtime', async () => {
    const models = fakeModels({ default: 'maybe' });
    const runtime = createLocalRuntime({ models });
    const chain = defineChain({
      name: 'runtime-error',
      steps: [
        invoke('check', {
          model: HAIKU,
          prompt: 'yes?',
          output: 'boolean',
          policy: {
            retry: { errors: ['States.ALL'], intervalSeconds: 1 },
            catch: { errors: ['States.ALL'], fallback: [] },
          },
        }),
      ],
    });
    await expect(runtime.run(chain, {})).rejects.toMatchObject({ error: 'States.Runtime', stepId: 'check' });
    expect(models.calls.length).toBe(1);
  });

  it('names a missing handler Lambda.ResourceNotFoundException', async () => {
    const runtime = createLocalRuntime({ models: fakeModels() });
    const chain = defineChain({ name: 'missing', steps: [task('call', { handler: 'nope' })] });
    const failure = await runtime.run(chain, {}).catch((error: unknown) => error);
    expect(StepFailedError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ error: 'Lambda.ResourceNotFoundException', stepId: 'call' });
  });
});

describe('createLocalRuntime: abort', () => {
  it('stops a streaming answer at once and leaves no timers or open streams behind', async () => {
    const clock = createManualClock();
    const models = countingStreams(
      fakeModels({ byStep: { answer: { text: 'one two three four five', tokenMs: 10_000 } } }),
    );
    const runtime = createLocalRuntime({ models, clock, handlers: { prepare: () => ({ ready: true }) } });
    const chain = defineChain({
      name: 'abortable',
      steps: [
        task('prepare', { handler: 'prepare', policy: { timeoutSeconds: 60 } }),
        respond('answer', { model: HAIKU, prompt: 'Tell me' }),
      ],
    });
    const controller = new AbortController();
    const events: ChainEvent[] = [];
    const started = performance.now();
    for await (const event of runtime.stream(chain, {}, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { name: 'AbortedError' } });
    expect(models.open).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects run() with AbortedError while a step waits for its retry, clearing the timer', async () => {
    const clock = createManualClock();
    const runtime = createLocalRuntime({
      models: fakeModels({ default: { text: 'x', throttle: 10 } }),
      clock,
      handlers: {},
    });
    const chain = defineChain({
      name: 'abort-retry',
      steps: [
        invoke('call', {
          model: HAIKU,
          prompt: 'x',
          policy: { retry: { errors: ['States.ALL'], intervalSeconds: 30 } },
        }),
      ],
    });
    const controller = new AbortController();
    const running = runtime.run(chain, {}, { signal: controller.signal });
    await tick();
    expect(clock.pendingTimers).toBe(1);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not wait for a handler that ignores its signal', async () => {
    const runtime = createLocalRuntime({ models: fakeModels(), handlers: { stuck: () => new Promise(() => {}) } });
    const chain = defineChain({ name: 'stuck', steps: [task('call', { handler: 'stuck' })] });
    const controller = new AbortController();
    const running = runtime.run(chain, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(running).rejects.toBeInstanceOf(AbortedError);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const models = fakeModels({ default: 'x' });
    const runtime = createLocalRuntime({ models });
    const chain = defineChain({ name: 'pre', steps: [invoke('call', { model: HAIKU, prompt: 'x' })] });
    await expect(runtime.run(chain, {}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    expect(models.calls.length).toBe(0);
  });

  it('aborts the run when the stream consumer stops early', async () => {
    let handlerSignal: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        wait: (_input, { signal }) => {
          handlerSignal = signal;
          started();
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve(null)));
        },
      },
    });
    const chain = defineChain({
      name: 'early',
      steps: [parallel('both', { a: [task('wait', { handler: 'wait' })], b: [transform('b', { set: { b: 1 } })] })],
    });
    // Step events come once the steps have run (decision 0001): stop after chain-start, while the handler waits.
    for await (const event of runtime.stream(chain, {})) {
      expect(event.type).toBe('chain-start');
      await running;
      break;
    }
    expect(handlerSignal?.aborted).toBe(true);
  });
});

describe('createLocalRuntime: events and results', () => {
  it('sums usage per model across nested steps and reports the run id', async () => {
    const runtime = createLocalRuntime({ models: fakeModels({ default: 'two words' }) });
    const chain = defineChain({
      name: 'usage',
      steps: [
        parallel('p', {
          a: [invoke('a', { model: HAIKU, prompt: 'one' })],
          b: [invoke('b', { model: 'us.amazon.nova-lite-v1:0', prompt: 'one' })],
        }),
      ],
    });
    const events: ChainEvent[] = [];
    for await (const event of runtime.stream(chain, {}, { runId: 'run-1' })) events.push(event);
    expect(events[0]).toEqual({ type: 'chain-start', runId: 'run-1', chain: 'usage' });
    expect(events.at(-1)).toMatchObject({
      type: 'chain-end',
      usage: {
        inputTokens: 2,
        outputTokens: 4,
        totalTokens: 6,
        byModel: {
          [HAIKU]: { inputTokens: 1, outputTokens: 2 },
          'us.amazon.nova-lite-v1:0': { inputTokens: 1, outputTokens: 2 },
        },
      },
    });
  });
});

describe('createLocalRuntime: order of evaluation and events (decision 0001)', () => {
  const collect = async (iterable: AsyncIterable<ChainEvent>): Promise<ChainEvent[]> => {
    const events: ChainEvent[] = [];
    for await (const event of iterable) events.push(event);
    return events;
  };
  const flakyTwice = () => {
    let calls = 0;
    return () => {
      calls++;
      if (calls <= 2) throw Object.assign(new Error(`flaky ${calls}`), { name: 'FlakyError' });
      return { calls };
    };
  };

  it('reports step-retry inside the pair of the step that completed, and none of a failed attempt', async () => {
    const fastClock = {
      now: () => performance.now(),
      setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms / 1000),
      clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const runtime = createLocalRuntime({ models: fakeModels(), clock: fastClock, handlers: { inner: flakyTwice() } });
    // The choose is retried; inside, `inner` is retried once per attempt: the first attempt fails after one retry
    // (its step-retry belongs to a failed attempt), the second succeeds at once.
    const chain = defineChain({
      name: 'retries',
      steps: [
        choose(
          'route',
          [
            when(isTrue('input.go'), [
              task('inner', {
                handler: 'inner',
                policy: { retry: { errors: ['FlakyError'], maxAttempts: 1 } },
              }),
            ]),
          ],
          undefined,
          { policy: { retry: { errors: ['FlakyError'], maxAttempts: 1 } } },
        ),
      ],
    });
    const events = await collect(runtime.stream(chain, { go: true }));
    expect(events.map((event) => `${event.type}${'stepId' in event ? `:${event.stepId}` : ''}`)).toEqual([
      'chain-start',
      'step-start:route',
      'step-retry:route',
      'step-start:inner',
      'step-end:inner',
      'step-end:route',
      'chain-end',
    ]);
    expect(events[2]).toMatchObject({ attempt: 2, error: { name: 'FlakyError' } });
  });

  it('holds step events back until the steps before respond have run, then streams the answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runtime = createLocalRuntime({
      models: fakeModels({ byStep: { answer: 'Done now.' } }),
      handlers: { slow: async () => gate.then(() => ({ ok: true })) },
    });
    const chain = defineChain({
      name: 'held',
      steps: [task('slow', { handler: 'slow' }), respond('answer', { model: HAIKU, prompt: 'Go' })],
    });
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of runtime.stream(chain, {})) seen.push(event.type);
    })();
    for (let i = 0; i < 5; i++) await tick();
    expect(seen).toEqual(['chain-start']);
    release();
    await done;
    expect(seen).toEqual([
      'chain-start',
      'step-start',
      'step-end',
      'step-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'step-end',
      'chain-end',
    ]);
  });

  it('streams step events as they happen with live: true, failed attempts included', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: { first: () => ({ ok: true }), slow: async () => gate.then(() => ({ ok: true })) },
    });
    const chain = defineChain({
      name: 'live',
      steps: [task('first', { handler: 'first' }), task('slow', { handler: 'slow' })],
    });
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of runtime.stream(chain, {}, { live: true })) {
        seen.push(`${event.type}${'stepId' in event ? `:${event.stepId}` : ''}`);
      }
    })();
    for (let i = 0; i < 5; i++) await tick();
    expect(seen).toEqual(['chain-start', 'step-start:first', 'step-end:first', 'step-start:slow']);
    release();
    await done;
    expect(seen.slice(4)).toEqual(['step-end:slow', 'chain-end']);

    // A failed attempt of a retried choose shows live: its inner step starts and never ends.
    const flaky = flakyTwice();
    const fastClock = {
      now: () => performance.now(),
      setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms / 1000),
      clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const retried = createLocalRuntime({ models: fakeModels(), clock: fastClock, handlers: { inner: flaky } });
    const chooseChain = defineChain({
      name: 'live-retry',
      steps: [
        choose('route', [when(isTrue('input.go'), [task('inner', { handler: 'inner' })])], undefined, {
          policy: { retry: { errors: ['FlakyError'], maxAttempts: 2 } },
        }),
      ],
    });
    const events = await collect(retried.stream(chooseChain, { go: true }, { live: true }));
    expect(events.filter((event) => event.type === 'step-start' && event.stepId === 'inner')).toHaveLength(3);
  });

  it("fails the respond step when a provider's stream ends without its finish part, after the deltas that came", async () => {
    const cut: ModelProvider = {
      specificationVersion: 'v1',
      provider: 'cut',
      doInvoke: () => Promise.reject(new Error('not used')),
      async *doStream() {
        yield { type: 'text-delta', delta: 'Half an ' };
        yield { type: 'text-delta', delta: 'answer' };
      },
    };
    const runtime = createLocalRuntime({ models: cut });
    const chain = defineChain({ name: 'cut', steps: [respond('answer', { model: HAIKU, prompt: 'Go' })] });
    const events = await collect(runtime.stream(chain, {}));
    expect(events.map((event) => event.type)).toEqual([
      'chain-start',
      'step-start',
      'text-delta',
      'text-delta',
      'error',
    ]);
    expect(events.at(-1)).toMatchObject({ error: { name: 'StepFailedError', stepId: 'answer' } });
    await expect(runtime.run(chain, {})).rejects.toMatchObject({
      error: 'Bedrock.ModelStreamErrorException',
      stepId: 'answer',
      retryable: true,
    });
  });

  it('sends an invoke on an anthropic: model the limit the compiled HTTP Task sends (1,024) when the step sets none', async () => {
    const models = fakeModels({ default: 'ok' });
    const runtime = createLocalRuntime({ models });
    const chain = defineChain({
      name: 'anthropic-limit',
      steps: [
        invoke('ask', { model: 'anthropic:claude-sonnet-4-5', prompt: 'Hi' }),
        invoke('capped', { model: 'anthropic:claude-sonnet-4-5', prompt: 'Hi', maxTokens: 5 }),
        invoke('open', { model: 'openai:gpt-4o-mini', prompt: 'Hi' }),
        respond('answer', { model: 'anthropic:claude-sonnet-4-5', prompt: 'Go' }),
      ],
    });
    await runtime.run(chain, {});
    expect(models.calls.map((call) => call.maxTokens)).toEqual([1024, 5, undefined, undefined]);
    // and a prefill without its trailing whitespace, which Anthropic's API refuses
    const prefilled = fakeModels({ default: 'ok' });
    const withPrefill = defineChain({
      name: 'anthropic-prefill',
      steps: [invoke('ask', { model: 'anthropic:claude-sonnet-4-5', prompt: 'Hi', prefill: 'Answer: ' })],
    });
    await createLocalRuntime({ models: prefilled }).run(withPrefill, {});
    expect(prefilled.calls[0]?.messages.at(-1)).toEqual({ role: 'assistant', content: 'Answer:' });
  });

  it("sends a Llama 3 prompt with the template's own chat control tokens neutralised, as the adapter and the compiled body do", async () => {
    const models = fakeModels({ default: 'ok' });
    const chain = defineChain({
      name: 'literal-token',
      steps: [invoke('ask', { model: 'meta.llama3-8b-instruct-v1:0', prompt: 'a<|eot_id|>b' })],
    });
    await createLocalRuntime({ models }).run(chain, {});
    expect(models.calls[0]?.messages[0]?.content).not.toContain('<|eot_id|>');
  });

  it('builds a chain output that reads respond after respond has streamed', async () => {
    const models = fakeModels({ byStep: { answer: 'Hello there.' } });
    const runtime = createLocalRuntime({ models });
    const chain = defineChain({
      name: 'output-reads-respond',
      steps: [respond('answer', { model: HAIKU, prompt: 'Hi' })],
      output: { said: 'steps.answer.text', label: 'Said: {{steps.answer.text}}' },
    });
    await expect(runtime.run(chain, {})).resolves.toMatchObject({
      output: { said: 'Hello there.', label: 'Said: Hello there.' },
    });
  });

  it('builds the chain output after respond has streamed, and fails after the answer when it cannot', async () => {
    const runtime = createLocalRuntime({ models: fakeModels({ byStep: { answer: 'Hello there.' } }) });
    const chain = defineChain({
      name: 'output-after',
      steps: [respond('answer', { model: HAIKU, prompt: 'Hi' })],
      output: { tier: 'input.tier' },
    });
    const events = await collect(runtime.stream(chain, {}));
    expect(events.map((event) => event.type)).toEqual([
      'chain-start',
      'step-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'step-end',
      'error',
    ]);
    expect(events.at(-1)).toMatchObject({ error: { name: 'StepFailedError' } });
    await expect(runtime.run(chain, {})).rejects.toMatchObject({ error: 'States.Runtime' });
  });

  it('renders a task payload before it looks for the handler, and a retrieve query before the knowledge base', async () => {
    const models = fakeModels();
    const runtime = createLocalRuntime({ models });
    const missingTask = defineChain({
      name: 'task-order',
      steps: [task('call', { handler: 'nope', input: { q: '{{input.q}}' } })],
    });
    await expect(runtime.run(missingTask, { q: 'x' })).rejects.toMatchObject({
      error: 'Lambda.ResourceNotFoundException',
    });
    await expect(runtime.run(missingTask, {})).rejects.toMatchObject({ error: 'States.Runtime', stepId: 'call' });
    const missingKb = defineChain({
      name: 'retrieve-order',
      steps: [retrieve('docs', { knowledgeBaseId: 'KB0MISSING', query: '{{input.q}}' })],
    });
    await expect(runtime.run(missingKb, { q: 'x' })).rejects.toMatchObject({
      error: 'BedrockAgentRuntime.ResourceNotFoundException',
    });
    await expect(runtime.run(missingKb, {})).rejects.toMatchObject({ error: 'States.Runtime', stepId: 'docs' });
  });
});
