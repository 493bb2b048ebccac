import type { ModelMessage } from '@stepwise/core';

/**
 * The `respond` step's request as the compiled machine renders it into its output, for the SFN runtime to stream
 * with ConverseStream: templates are rendered, `messages` is the array found at the step's `messages.from` path,
 * not yet cut to `last` (the runtime keeps the last `last` messages).
 */
export interface RespondRequest {
  stepId: string;
  modelId: string;
  system?: string;
  messages?: ModelMessage[];
  /** Keep only the last N of `messages`. */
  last?: number;
  /** Sent as the final user message, after `messages`. */
  prompt?: string;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
}

/**
 * What a compiled machine's execution outputs: the chain output (decision 0001), every step output recorded on the
 * main path, and the rendered `respond` request when the chain ends with one. A step whose model calls its output
 * does not show (a `parallel` or `map` with model calls before a branch's last step, a caught step whose fallback
 * calls a model...) is recorded as `{ output, usage }`: its output, and a usage record the SFN runtime adds up
 * (ARCHITECTURE.md, *Token usage*).
 *
 * @example
 * ```ts
 * const { output, steps, respond } = JSON.parse(execution.output) as ExecutionOutput;
 * ```
 */
export interface ExecutionOutput {
  output: unknown;
  /** Outputs by step id; wrapped ones as `{ output, usage }`. */
  steps: { [stepId: string]: unknown };
  respond?: RespondRequest;
  /** When the main-path steps ran (absent from machines compiled before it was recorded). */
  timing?: ExecutionTiming;
}

/**
 * When the main-path steps of an execution ran, as its machine recorded it (ARCHITECTURE.md, *Step timing*): each
 * step's start, `$$.State.EnteredTime` of its first state (`null` when it did not run), the retries of each step with a
 * retry policy (`null` when it did not run), and the final state's start, which ends the last step.
 *
 * @example
 * ```ts
 * const started = Date.parse(output.timing?.start.classify ?? '');
 * ```
 */
export interface ExecutionTiming {
  end: string;
  start: { [stepId: string]: string | null };
  retries: { [stepId: string]: number | null };
}
