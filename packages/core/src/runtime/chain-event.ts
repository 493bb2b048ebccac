import type { StepType } from '../chain/step';
import type { ModelUsage } from '../model/model-provider';
import type { ChainUsage } from '../model/usage';

/**
 * The run started.
 *
 * @example
 * ```ts
 * if (event.type === 'chain-start') console.log(`run ${event.runId} of ${event.chain}`);
 * ```
 */
export interface ChainStartEvent {
  type: 'chain-start';
  runId: string;
  chain: string;
}

/**
 * Where a nested step runs, on the step events of a stream with `detail: 'nested'` (runtime-local only, see
 * `RunOptions.detail`). Both fields are absent on the events of top-level steps, and on every event of a stream at the
 * default detail, so the sequences every runtime gives stay the same.
 *
 * @example
 * ```ts
 * // in a `map('summaries', ...)` whose body is `invoke('summarize', ...)`, with detail: 'nested':
 * // { type: 'step-start', stepId: 'summarize', stepType: 'invoke', parent: 'summaries', index: 2 }
 * if (event.type === 'step-end' && event.parent !== undefined) {
 *   console.log(`${event.parent}${event.index === undefined ? '' : `[${event.index}]`} > ${event.stepId}`);
 * }
 * ```
 */
export interface StepPlace {
  /**
   * The id of the step this one runs inside: the `parallel`, `choose`, `split` or `map` step, or the step whose
   * `catch` fallback it belongs to. Absent for a top-level step.
   */
  parent?: string;
  /**
   * The iteration (0-based item index) of the innermost `map` the step runs in, also for steps nested deeper inside
   * that iteration (a `parallel` in a `map` body). Absent outside every `map`.
   */
  index?: number;
}

/**
 * A step started.
 *
 * @example
 * ```ts
 * if (event.type === 'step-start') console.log(`${event.stepId} (${event.stepType}) started`);
 * ```
 */
export interface StepStartEvent extends StepPlace {
  type: 'step-start';
  stepId: string;
  stepType: StepType;
}

/**
 * A step ended with its output.
 *
 * @example
 * ```ts
 * if (event.type === 'step-end') console.log(event.stepId, event.output, event.usage, `${event.ms} ms`);
 * ```
 */
export interface StepEndEvent extends StepPlace {
  type: 'step-end';
  stepId: string;
  stepType: StepType;
  output: unknown;
  /** Tokens this step used (model steps). */
  usage?: ModelUsage;
  /** Wall time of the step; 0 when the runtime cannot know it (Step Functions). */
  ms: number;
}

/**
 * A step failed and is retried by its policy (runtime-local only: Step Functions does not report retries).
 *
 * @example
 * ```ts
 * if (event.type === 'step-retry') console.warn(`${event.stepId}: attempt ${event.attempt} after ${event.error.name}`);
 * ```
 */
export interface StepRetryEvent extends StepPlace {
  type: 'step-retry';
  stepId: string;
  /** The attempt about to start, 2 for the first retry. */
  attempt: number;
  error: { name: string; message: string };
}

/**
 * A piece of the streamed final answer.
 *
 * @example
 * ```ts
 * if (event.type === 'text-delta') process.stdout.write(event.delta);
 * ```
 */
export interface TextDeltaEvent {
  type: 'text-delta';
  stepId: string;
  delta: string;
}

/**
 * The run ended.
 *
 * @example
 * ```ts
 * if (event.type === 'chain-end') console.log(event.output, event.usage.totalTokens);
 * ```
 */
export interface ChainEndEvent<Output = unknown> {
  type: 'chain-end';
  /** The chain's output, typed as the chain's output when the chain is typed. */
  output: Output;
  /** The streamed answer, when the chain ends with `respond`. */
  text?: string;
  usage: ChainUsage;
  ms: number;
}

/**
 * The run failed; always the last event.
 *
 * @example
 * ```ts
 * if (event.type === 'error') console.error(event.error.name, event.error.message, event.error.stepId);
 * ```
 */
export interface ErrorEvent {
  type: 'error';
  error: {
    /** The stepwise error name: `StepFailedError`, `ExecutionTimeoutError`, `AbortedError`, ... */
    name: string;
    /** The runtime's message; it may quote a handler's or a service's text (the server redacts it for clients). */
    message: string;
    /** The innermost step that failed, when a step failed. */
    stepId?: string;
    /** The ASL error name of a step failure (`Bedrock.ThrottlingException`, `States.Runtime`, a handler's name). */
    error?: string;
    /** Whether running the chain again may succeed (throttling, timeouts, a broken stream). */
    retryable?: boolean;
  };
}

/**
 * Everything `ChainRuntime.stream` yields. A run is `chain-start`, then for each step `step-start` ... `step-end`
 * (steps inside `parallel` branches and `map` iterations report through their parent's `step-end`, unless the run
 * streams with `detail: 'nested'` on runtime-local: then they report too, with `parent` and `index`), `text-delta`s
 * during `respond`, and `chain-end` or a terminal `error`.
 *
 * @example
 * ```ts
 * for await (const event of runtime.stream(chain, input)) {
 *   if (event.type === 'text-delta') process.stdout.write(event.delta);
 * }
 * ```
 */
export type ChainEvent<Output = unknown> =
  | ChainStartEvent
  | StepStartEvent
  | StepEndEvent
  | StepRetryEvent
  | TextDeltaEvent
  | ChainEndEvent<Output>
  | ErrorEvent;
