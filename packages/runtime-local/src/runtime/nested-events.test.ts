import {
  type ChainEvent,
  choose,
  defineChain,
  invoke,
  isTrue,
  map,
  parallel,
  respond,
  split,
  task,
  transform,
  when,
} from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { fakeModels } from '../fake/fake-models';
import type { Clock } from './clock';
import { createLocalRuntime } from './create-local-runtime';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Real time, with retry delays a thousand times shorter. */
const fastClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms / 1000),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

async function collect(iterable: AsyncIterable<ChainEvent>): Promise<ChainEvent[]> {
  const events: ChainEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** `type:stepId<parent[index]`, the event's place in one string. */
function label(event: ChainEvent): string {
  if (!('stepId' in event)) return event.type;
  let text = `${event.type}:${event.stepId}`;
  if ('parent' in event && event.parent !== undefined) text += `<${event.parent}`;
  if ('index' in event && event.index !== undefined) text += `[${event.index}]`;
  return text;
}

/** A gate a handler waits on until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const everything = defineChain({
  name: 'everything',
  steps: [
    parallel('gather', {
      left: [task('fetchLeft', { handler: 'echo', input: { side: 'left' } })],
      right: [invoke('keywords', { model: HAIKU, prompt: 'Keywords of {{input.topic}}' })],
    }),
    map('each', {
      items: 'input.items',
      maxConcurrency: 1,
      steps: [
        task('work', { handler: 'echo', input: { n: 'item' } }),
        transform('entry', { set: { n: 'steps.work.n', at: 'index' } }),
      ],
    }),
    choose('route', [when(isTrue('input.go'), [task('routed', { handler: 'echo' })])]),
    split('experiment', { only: { weight: 1, steps: [task('variant', { handler: 'echo' })] } }),
    respond('answer', { model: HAIKU, prompt: 'Answer about {{input.topic}}' }),
  ],
});

function everythingRuntime() {
  return createLocalRuntime({
    models: fakeModels({ byStep: { keywords: 'boots, soles', answer: 'Done' } }),
    handlers: { echo: (input) => input },
  });
}

const everythingInput = { topic: 'boots', items: [1, 2], go: true };

describe("stream(chain, input, { detail: 'nested' })", () => {
  it('reports the steps inside parallel, map, choose and split, each with its parent and map iteration', async () => {
    const events = await collect(everythingRuntime().stream(everything, everythingInput, { detail: 'nested' }));
    const labels = events.map(label);
    // the parallel's branches run at once: their order is not defined, their place inside the parent is
    const gather = labels.slice(labels.indexOf('step-start:gather'), labels.indexOf('step-end:gather') + 1);
    expect([...gather].sort()).toEqual(
      [
        'step-start:gather',
        'step-start:fetchLeft<gather',
        'step-end:fetchLeft<gather',
        'step-start:keywords<gather',
        'step-end:keywords<gather',
        'step-end:gather',
      ].sort(),
    );
    expect(gather.indexOf('step-start:fetchLeft<gather')).toBeLessThan(gather.indexOf('step-end:fetchLeft<gather'));
    expect(gather.indexOf('step-start:keywords<gather')).toBeLessThan(gather.indexOf('step-end:keywords<gather'));
    // one iteration at a time (maxConcurrency 1): the map's steps in order, each with its iteration
    expect(labels.slice(labels.indexOf('step-end:gather') + 1)).toEqual([
      'step-start:each',
      'step-start:work<each[0]',
      'step-end:work<each[0]',
      'step-start:entry<each[0]',
      'step-end:entry<each[0]',
      'step-start:work<each[1]',
      'step-end:work<each[1]',
      'step-start:entry<each[1]',
      'step-end:entry<each[1]',
      'step-end:each',
      'step-start:route',
      'step-start:routed<route',
      'step-end:routed<route',
      'step-end:route',
      'step-start:experiment',
      'step-start:variant<experiment',
      'step-end:variant<experiment',
      'step-end:experiment',
      'step-start:answer',
      'text-delta:answer',
      'step-end:answer',
      'chain-end',
    ]);
    expect(labels[0]).toBe('chain-start');
    // a nested step's end carries its output (and usage for a model call) as a top-level step's does
    expect(events.find((event) => label(event) === 'step-end:entry<each[1]')).toMatchObject({
      stepType: 'transform',
      output: { n: 2, at: 1 },
    });
    expect(events.find((event) => label(event) === 'step-end:keywords<gather')).toMatchObject({
      stepType: 'invoke',
      output: { text: 'boots, soles' },
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    });
    // top-level steps carry no place, not even an undefined one (the wire stays as it was)
    const top = events.find((event) => event.type === 'step-end' && event.stepId === 'each')!;
    expect(Object.keys(top)).not.toContain('parent');
    expect(Object.keys(top)).not.toContain('index');
  });

  it('leaves the default detail as every runtime streams it: no nested events, no places', async () => {
    const runtime = everythingRuntime();
    for (const options of [{}, { live: true }, { detail: 'top' as const }]) {
      const labels = (await collect(runtime.stream(everything, everythingInput, options))).map(label);
      expect(labels).toEqual([
        'chain-start',
        'step-start:gather',
        'step-end:gather',
        'step-start:each',
        'step-end:each',
        'step-start:route',
        'step-start:routed',
        'step-end:routed',
        'step-end:route',
        'step-start:experiment',
        'step-start:variant',
        'step-end:variant',
        'step-end:experiment',
        'step-start:answer',
        'text-delta:answer',
        'step-end:answer',
        'chain-end',
      ]);
    }
    // run() accepts the option and gives the same result
    const nested = await runtime.run(everything, everythingInput, { detail: 'nested' });
    expect(nested).toEqual(await runtime.run(everything, everythingInput));
    expect(nested.steps.each).toEqual([
      { n: 1, at: 0 },
      { n: 2, at: 1 },
    ]);
  });

  it('streams live, without live: true: a branch step ends before its slow sibling does', async () => {
    let slow = gate();
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: { quick: () => ({ ok: true }), slow: () => slow.opened.then(() => ({ ok: true })) },
    });
    const chain = defineChain({
      name: 'live-branches',
      steps: [
        parallel('both', {
          fast: [task('quick', { handler: 'quick' })],
          late: [task('slow', { handler: 'slow' })],
        }),
      ],
    });
    for (const live of [undefined, false]) {
      slow = gate();
      const seen: string[] = [];
      const done = (async () => {
        const options = live === undefined ? { detail: 'nested' as const } : { detail: 'nested' as const, live };
        for await (const event of runtime.stream(chain, {}, options)) seen.push(label(event));
      })();
      for (let i = 0; i < 5; i++) await tick();
      expect(seen).toEqual([
        'chain-start',
        'step-start:both',
        'step-start:quick<both',
        'step-start:slow<both',
        'step-end:quick<both',
      ]);
      slow.open();
      await done;
      expect(seen.slice(5)).toEqual(['step-end:slow<both', 'step-end:both', 'chain-end']);
    }
  });

  it('reports retries of a step inside a map iteration, with the iteration', async () => {
    const runtime = createLocalRuntime({
      models: fakeModels({ byStep: { summarize: { text: 'short', throttle: 1 } } }),
      clock: fastClock,
    });
    const chain = defineChain({
      name: 'retried-in-map',
      steps: [
        map('summaries', {
          items: 'input.documents',
          maxConcurrency: 1,
          steps: [
            invoke('summarize', {
              model: HAIKU,
              prompt: '{{item}}',
              policy: { retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 2 } },
            }),
          ],
        }),
      ],
    });
    const events = await collect(runtime.stream(chain, { documents: ['a', 'b'] }, { detail: 'nested' }));
    expect(events.map(label)).toEqual([
      'chain-start',
      'step-start:summaries',
      'step-start:summarize<summaries[0]',
      'step-retry:summarize<summaries[0]',
      'step-end:summarize<summaries[0]',
      'step-start:summarize<summaries[1]',
      'step-end:summarize<summaries[1]',
      'step-end:summaries',
      'chain-end',
    ]);
    expect(events[3]).toMatchObject({ attempt: 2, error: { name: 'Bedrock.ThrottlingException' } });
  });

  it('reports a failure inside a branch: the failed step started, its sibling stopped, then the error', async () => {
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        broken: async () => {
          await tick();
          throw Object.assign(new Error('no stock service'), { name: 'StockError' });
        },
        waits: (_input, { signal }) =>
          new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    });
    const chain = defineChain({
      name: 'broken-branch',
      steps: [
        parallel('both', {
          bad: [task('broken', { handler: 'broken' })],
          good: [task('waits', { handler: 'waits' })],
        }),
        respond('answer', { model: HAIKU, prompt: 'never' }),
      ],
    });
    const events = await collect(runtime.stream(chain, {}, { detail: 'nested' }));
    expect(events.map(label)).toEqual([
      'chain-start',
      'step-start:both',
      'step-start:broken<both',
      'step-start:waits<both',
      'error',
    ]);
    expect(events.at(-1)).toMatchObject({ error: { name: 'StepFailedError', stepId: 'broken', error: 'StockError' } });
    // held back (the default), the same run reports no step at all, as Step Functions does
    expect((await collect(runtime.stream(chain, {}))).map(label)).toEqual(['chain-start', 'error']);
  });

  it("reports a catch fallback's steps inside the step that caught, in the branch's iteration", async () => {
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: {
        broken: () => {
          throw Object.assign(new Error('down'), { name: 'DownError' });
        },
        echo: (input) => input,
      },
    });
    const chain = defineChain({
      name: 'caught-in-map',
      steps: [
        map('each', {
          items: 'input.items',
          steps: [
            task('lookup', {
              handler: 'broken',
              policy: { catch: { errors: ['States.ALL'], fallback: [task('cached', { handler: 'echo' })] } },
            }),
          ],
        }),
      ],
    });
    const events = await collect(runtime.stream(chain, { items: ['x'] }, { detail: 'nested' }));
    expect(events.map(label)).toEqual([
      'chain-start',
      'step-start:each',
      'step-start:lookup<each[0]',
      'step-start:cached<lookup[0]',
      'step-end:cached<lookup[0]',
      'step-end:lookup<each[0]',
      'step-end:each',
      'chain-end',
    ]);
  });

  it('reports the steps of a parallel inside a map with the iteration they run in', async () => {
    const runtime = createLocalRuntime({ models: fakeModels(), handlers: { echo: (input) => input } });
    const chain = defineChain({
      name: 'parallel-in-map',
      steps: [
        map('each', {
          items: 'input.items',
          maxConcurrency: 1,
          steps: [parallel('fork', { one: [task('inner', { handler: 'echo', input: { value: 'item' } })] })],
        }),
      ],
    });
    const events = await collect(runtime.stream(chain, { items: ['a', 'b'] }, { detail: 'nested' }));
    expect(events.map(label)).toEqual([
      'chain-start',
      'step-start:each',
      'step-start:fork<each[0]',
      'step-start:inner<fork[0]',
      'step-end:inner<fork[0]',
      'step-end:fork<each[0]',
      'step-start:fork<each[1]',
      'step-start:inner<fork[1]',
      'step-end:inner<fork[1]',
      'step-end:fork<each[1]',
      'step-end:each',
      'chain-end',
    ]);
  });

  it('shows a map running at most maxConcurrency iterations at once, every item once', async () => {
    const gates = Array.from({ length: 5 }, () => gate());
    const runtime = createLocalRuntime({
      models: fakeModels(),
      handlers: { work: async (input) => gates[(input as { n: number }).n]!.opened.then(() => input) },
    });
    const chain = defineChain({
      name: 'bounded',
      steps: [
        map('each', {
          items: 'input.items',
          maxConcurrency: 2,
          steps: [task('work', { handler: 'work', input: { n: 'item' } })],
        }),
      ],
    });
    const events: ChainEvent[] = [];
    const done = (async () => {
      for await (const event of runtime.stream(chain, { items: [0, 1, 2, 3, 4] }, { detail: 'nested' })) {
        events.push(event);
      }
    })();
    const running = () => {
      const open = new Set<number>();
      for (const event of events) {
        if (event.type === 'step-start' && event.index !== undefined) open.add(event.index);
        if (event.type === 'step-end' && event.index !== undefined) open.delete(event.index);
      }
      return [...open].sort();
    };
    for (let i = 0; i < 3; i++) await tick();
    expect(running()).toEqual([0, 1]);
    // items finish out of order; a freed slot takes the next item at once
    for (const [n, expected] of [
      [1, [0, 2]],
      [0, [2, 3]],
      [3, [2, 4]],
      [4, [2]],
      [2, []],
    ] as const) {
      gates[n]!.open();
      for (let i = 0; i < 3; i++) await tick();
      expect(running()).toEqual(expected);
    }
    await done;
    const starts = events.filter((event) => event.type === 'step-start' && event.stepId === 'work');
    expect(starts.map((event) => (event as { index: number }).index)).toEqual([0, 1, 2, 3, 4]);
    const ends = events.filter((event) => event.type === 'step-end' && event.stepId === 'work');
    expect(ends.map((event) => (event as { index: number }).index)).toEqual([1, 0, 3, 4, 2]);
    expect(ends.every((event) => (event as { parent: string }).parent === 'each')).toBe(true);
    expect(events.at(-2)).toMatchObject({
      type: 'step-end',
      stepId: 'each',
      output: [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }],
    });
  });
});
