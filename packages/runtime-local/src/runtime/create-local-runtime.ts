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

/**
 * Options of {@link createLocalRuntime}.
 *
 * @example
 * ```ts
 * const options: LocalRuntimeOptions = { models: fakeModels({ default: 'ok' }), random: () => 0.5 };
 * ```
 */
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

function streamRun(
  config: LocalRuntimeConfig,
  chain: Chain,
  input: unknown,
  options: RunOptions,
): AsyncIterable<ChainEvent> {
  return { [Symbol.asyncIterator]: () => new EventStream(config, chain, input, options) };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The iterator behind `stream()`: the run pushes events into a queue and the consumer pulls them. Hand-written
 * rather than an async generator, so an event that is already queued costs one resolved promise and no extra hops.
 */
class EventStream implements AsyncIterator<ChainEvent, undefined> {
  private queue: ChainEvent[] = [];
  private at = 0;
  private done = false;
  /** The run has emitted `chain-end` or `error`: nothing is left to abort. */
  private ended = false;
  private waiting: ((result: IteratorResult<ChainEvent, undefined>) => void) | undefined;
  private run: LocalRun | undefined;
  private finished: Promise<void> | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly config: LocalRuntimeConfig,
    private readonly chain: Chain,
    private readonly input: unknown,
    private readonly options: RunOptions,
  ) {}

  next(): Promise<IteratorResult<ChainEvent, undefined>> {
    if (!this.run) {
      // The first next() validates the input (rejecting with InputValidationError) and starts the run.
      this.starting ??= (this.chain.input ? validateInput(this.chain, this.input) : Promise.resolve(this.input)).then(
        (value) => this.start(value),
      );
      return this.starting.then(() => this.next());
    }
    if (this.at < this.queue.length) {
      const value = this.queue[this.at++]!;
      if (this.at === this.queue.length) {
        this.queue = [];
        this.at = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.done) return Promise.resolve(DONE);
    return new Promise(this.wait);
  }

  /** The executor of a pending `next()`, made once per stream rather than once per event. */
  private readonly wait = (resolve: (result: IteratorResult<ChainEvent, undefined>) => void): void => {
    this.waiting = resolve;
  };

  async return(): Promise<IteratorResult<ChainEvent, undefined>> {
    if (this.run && !this.done) {
      if (!this.ended) this.run.abort();
      await this.finished;
    }
    this.done = true;
    this.queue = [];
    return DONE;
  }

  private start(value: unknown): void {
    const emit = (event: ChainEvent): void => {
      if (event.type === 'chain-end' || event.type === 'error') this.ended = true;
      const waiting = this.waiting;
      if (waiting) {
        this.waiting = undefined;
        waiting({ done: false, value: event });
      } else {
        this.queue.push(event);
      }
    };
    this.run = new LocalRun(this.config, this.chain, emit, this.options.signal, this.options.runId);
    this.finished = this.run.execute(value).then(
      () => this.end(),
      (error: unknown) => {
        emit({ type: 'error', error: errorPayload(error) });
        this.end();
      },
    );
  }

  private end(): void {
    this.done = true;
    const waiting = this.waiting;
    if (waiting && this.at >= this.queue.length) {
      this.waiting = undefined;
      waiting(DONE);
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
