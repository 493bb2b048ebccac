import {
  type Chain,
  type ChainEvent,
  type ChainResult,
  type ChainRuntime,
  type KnowledgeBase,
  type ModelProvider,
  type RunOptions,
  StepwiseError,
  type TaskHandler,
  validateInput,
} from '@stepwise/core';
import type { Clock } from './clock';
import { LocalRun, type LocalRuntimeConfig } from './local-run';
import { systemClock } from './system-clock';

/** Options of {@link createLocalRuntime}. */
export interface LocalRuntimeOptions {
  /** Where model calls go: `fakeModels(...)` in tests, `bedrockModels(...)` for real Bedrock. */
  models: ModelProvider;
  /** Knowledge bases for `retrieve` steps, by knowledge-base id (`memoryKnowledgeBase(...)`). */
  knowledgeBases?: { [knowledgeBaseId: string]: KnowledgeBase };
  /** Handlers for `task` steps, by name. */
  handlers?: { [name: string]: TaskHandler };
  /** Time source for step timings, retry delays and timeouts. Default: the real clock. */
  clock?: Clock;
  /** Random source in [0, 1) for `split` and retry jitter. Default: `Math.random`. */
  random?: () => number;
}

/**
 * The in-process runtime: executes chain data directly, with the policies, error names and events that the
 * Step Functions runtime has. Use it in unit tests with `fakeModels`, or with `bedrockModels` against real Bedrock.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime({
 *   models: fakeModels({ byStep: { classify: 'true', answer: 'Here is what I found.' } }),
 *   knowledgeBases: { KB12345678: memoryKnowledgeBase([{ text: 'Refunds take 14 days.' }]) },
 *   handlers: { createOffer: async (input) => ({ offerId: 'o-1' }) },
 * });
 * const result = await runtime.run(chain, { question: 'How long do refunds take?' });
 * for await (const event of runtime.stream(chain, { question: 'Hi' })) console.log(event.type);
 * ```
 */
export function createLocalRuntime(options: LocalRuntimeOptions): ChainRuntime {
  const config: LocalRuntimeConfig = {
    models: options.models,
    knowledgeBases: options.knowledgeBases ?? {},
    handlers: options.handlers ?? {},
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
  };
  return {
    name: 'local',
    async run(chain: Chain, input: unknown, runOptions: RunOptions = {}): Promise<ChainResult> {
      const value = chain.input ? await validateInput(chain, input) : input;
      return new LocalRun(config, chain, undefined, runOptions.signal, runOptions.runId).execute(value);
    },
    stream(chain: Chain, input: unknown, runOptions: RunOptions = {}): AsyncIterable<ChainEvent> {
      return streamRun(config, chain, input, runOptions);
    },
  };
}

async function* streamRun(
  config: LocalRuntimeConfig,
  chain: Chain,
  input: unknown,
  options: RunOptions,
): AsyncGenerator<ChainEvent, void, undefined> {
  const value = chain.input ? await validateInput(chain, input) : input;
  let queue: ChainEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const emit = (event: ChainEvent): void => {
    queue.push(event);
    if (wake) {
      const resolve = wake;
      wake = undefined;
      resolve();
    }
  };
  const run = new LocalRun(config, chain, emit, options.signal, options.runId);
  const finished = run
    .execute(value)
    .then(
      () => {},
      (error: unknown) => emit({ type: 'error', error: errorPayload(error) }),
    )
    .finally(() => {
      done = true;
      wake?.();
    });
  try {
    for (;;) {
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        for (const event of batch) yield event;
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    if (!done) {
      run.abort();
      await finished;
    }
  }
}

function errorPayload(error: unknown): { name: string; message: string; stepId?: string } {
  if (StepwiseError.isInstance(error)) {
    const { name, message, stepId } = error.toJSON();
    return stepId === undefined ? { name, message } : { name, message, stepId };
  }
  return { name: 'Error', message: 'The run failed unexpectedly.' };
}
