import {
  type Chain,
  type ChainEvent,
  type ChainResult,
  type ChainRuntime,
  createPushIterable,
  errorEventOf,
  type KnowledgeBase,
  type ModelProvider,
  type PushIterable,
  type RunOptions,
  type TaskHandler,
  type TelemetryOptions,
  validateInput,
} from '@stepwise/core';
import { activeContext, startLocalTelemetry } from '../telemetry/local-telemetry';
import { traceRun } from '../telemetry/trace-local-run';
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
  /** Where model calls go: `fakeModels(...)` in tests, `bedrockModels(...)` (`@stepwise/runtime-local/bedrock`) for real Bedrock. */
  models: ModelProvider;
  /** Knowledge bases for `retrieve` steps, by knowledge-base id (`memoryKnowledgeBase(...)`). */
  knowledgeBases?: { [knowledgeBaseId: string]: KnowledgeBase };
  /** Handlers for `task` steps, by name. */
  handlers?: { [name: string]: TaskHandler };
  /** Time source for step timings, retry delays and timeouts. Default: the real clock. */
  clock?: Clock;
  /** Random source in [0, 1) for `split` and retry jitter. Default: `Math.random`. */
  random?: () => number;
  /**
   * OpenTelemetry spans of each run (run, step, model and knowledge-base call; GenAI semantic conventions), through
   * `@opentelemetry/api`: nothing is recorded until the application registers an SDK. `recordContent: true` adds
   * prompts and answers to the spans.
   */
  telemetry?: TelemetryOptions;
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
    async run<Input, Output>(
      chain: Chain<Input, Output, any>,
      input: Input,
      runOptions: RunOptions = {},
    ): Promise<ChainResult<Output>> {
      const parent = activeContext();
      const value = chain.input ? await validateInput(chain, input) : input;
      const telemetry = startLocalTelemetry(options.telemetry, chain.name, runOptions.runId, parent);
      const run = new LocalRun(config, chain, undefined, runOptions.signal, telemetry?.runId ?? runOptions.runId);
      run.telemetry = telemetry;
      return (await traceRun(telemetry, run.execute(value))) as ChainResult<Output>;
    },
    stream<Input, Output>(
      chain: Chain<Input, Output, any>,
      input: Input,
      runOptions: RunOptions = {},
    ): PushIterable<ChainEvent<Output>> {
      const trace = { options: options.telemetry, parent: activeContext() };
      return streamRun(config, chain, input, runOptions, trace) as PushIterable<ChainEvent<Output>>;
    },
  };
}

/**
 * The events of one run as a push iterable: each consumption validates the input (an invalid one fails the first
 * `next()` or `forEach` with `InputValidationError`), starts a run and delivers its events as they are emitted;
 * the server takes them by push, other consumers iterate. Stopping early aborts the run, unless it has already
 * emitted its last event, and waits for it to wind down.
 */
function streamRun(
  config: LocalRuntimeConfig,
  chain: Chain,
  input: unknown,
  options: RunOptions,
  trace: { options: TelemetryOptions | undefined; parent: unknown },
): PushIterable<ChainEvent> {
  return createPushIterable<ChainEvent>((sink) => {
    let run: LocalRun | undefined;
    let ended = false;
    let finished: Promise<void> | undefined;
    const emit = (event: ChainEvent): void => {
      if (event.type === 'chain-end' || event.type === 'error') ended = true;
      sink.push(event);
    };
    const starting = (chain.input ? validateInput(chain, input) : Promise.resolve(input)).then(
      (value) => {
        if (sink.closed) return;
        const nested = options.detail === 'nested';
        const telemetry = startLocalTelemetry(trace.options, chain.name, options.runId, trace.parent);
        const runId = telemetry?.runId ?? options.runId;
        run = new LocalRun(config, chain, emit, options.signal, runId, options.live === true, nested);
        run.telemetry = telemetry;
        finished = traceRun(telemetry, run.execute(value)).then(
          () => sink.end(),
          (error: unknown) => {
            emit({ type: 'error', error: errorEventOf(error) });
            sink.end();
          },
        );
      },
      (error: unknown) => sink.fail(error),
    );
    return () => {
      if (run !== undefined && !ended) run.abort();
      return finished ?? starting;
    };
  });
}
