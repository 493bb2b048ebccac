import type { ChainUsage, ModelUsage, StepType } from '@stepwise/core';

/**
 * Status of a step as the `data-step` part reports it; one part per step, updated in place.
 *
 * @example
 * ```ts
 * const finished = (status: StepStatus) => status === 'done' || status === 'failed';
 * ```
 */
export type StepStatus = 'running' | 'retrying' | 'done' | 'failed';

/**
 * The `data` of a `data-step` part.
 *
 * @example
 * ```ts
 * const data: StepPartData = { status: 'done', stepType: 'invoke', output: { text: 'true', value: true }, ms: 212 };
 * ```
 */
export interface StepPartData {
  status: StepStatus;
  stepType: StepType;
  /** The step's output, once `done`. */
  output?: unknown;
  /** Tokens the step used, once `done` (model steps). */
  usage?: ModelUsage;
  /** Wall time of the step, once `done`. */
  ms?: number;
  /** The attempt about to start, when `retrying`. */
  attempt?: number;
  /** The failure, when `retrying` or `failed`. */
  error?: { name: string; message: string };
  /** A nested step's id (`detail: 'nested'`; the part's id adds its `[index]` inside a `map`). */
  stepId?: string;
  /** A nested step's parent step, with its map iteration `index` (see `StepPlace` in `@stepwise/core`). */
  parent?: string;
  index?: number;
}

/**
 * Message metadata the stream carries: `start` sends `chain` and `runId`, `finish` adds `output` and `ms`.
 *
 * @example
 * ```ts
 * const { chain, runId } = message.metadata as ChainMessageMetadata;
 * ```
 */
export interface ChainMessageMetadata {
  chain?: string;
  runId?: string;
  output?: unknown;
  ms?: number;
}

/**
 * The parts of the AI SDK UI message stream protocol (v1) that a stepwise server sends, one per SSE `data:` line.
 * `error` parts carry the stepwise error name and step id besides the protocol's `errorText`.
 *
 * @example
 * ```ts
 * const part: UiMessageChunk = { type: 'data-step', id: 'classify', data: { status: 'running', stepType: 'invoke' } };
 * ```
 */
export type UiMessageChunk =
  | { type: 'start'; messageId: string; messageMetadata?: ChainMessageMetadata }
  | { type: 'data-step'; id: string; data: StepPartData }
  | {
      type: 'source-document';
      sourceId: string;
      mediaType: string;
      title: string;
      providerMetadata?: { stepwise: { stepId: string; score: number; source?: string } };
    }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'data-usage'; data: ChainUsage }
  | { type: 'finish'; finishReason?: 'stop' | 'error'; messageMetadata?: ChainMessageMetadata }
  | {
      type: 'error';
      errorText: string;
      errorName?: string;
      stepId?: string;
      /** The ASL error name (`Bedrock.ThrottlingException`, `States.Timeout`, a handler's error name). */
      error?: string;
      retryable?: boolean;
      /** The original cause, only from a server with `exposeErrorDetails`. */
      cause?: string;
      /** The request id (also the `x-request-id` header), to find the failure in the server's log. */
      requestId?: string;
    };
