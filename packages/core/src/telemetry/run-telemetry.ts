import type { StepType } from '../chain/step';
import type { RetrievalResult } from '../model/knowledge-base';
import type { ModelRequest, ModelUsage } from '../model/model-provider';
import type { ChainUsage } from '../model/usage';
import { errorTypeOf } from './error-type-of';
import { genAiModelOf } from './gen-ai-model-of';
import {
  SPAN_KIND,
  SPAN_STATUS,
  type TelemetryApi,
  type TelemetryAttributes,
  type TelemetrySpan,
} from './telemetry-api';
import { TELEMETRY_ATTRIBUTES as A } from './telemetry-attributes';
import type { TelemetryOptions } from './telemetry-options';

/**
 * A span of a run and the context that makes it the parent of the spans started under it.
 *
 * @example
 * ```ts
 * const step: TraceSpan = telemetry.startStep(telemetry.run, { id: 'classify', type: 'invoke' });
 * ```
 */
export interface TraceSpan {
  readonly span: TelemetrySpan;
  readonly context: unknown;
}

/**
 * How a step's span was timed: `recorded` at the step's real start and end; `enclosing` (Step Functions only) with the
 * times of the span that encloses it, because the execution recorded none of its own (a step inside a `parallel`
 * branch or a `map` iteration, a failed attempt of a retried call).
 *
 * @example
 * ```ts
 * telemetry.startStep(parent, step, { startTime, timing: 'enclosing' });
 * ```
 */
export type TraceTiming = 'recorded' | 'enclosing';

/**
 * Where and when a span starts: explicit times (milliseconds since the epoch) for spans rebuilt after the fact; none
 * for live spans, which start now.
 *
 * @example
 * ```ts
 * const at: TraceStart = { startTime: Date.parse('2026-01-01T10:00:00.120Z'), timing: 'recorded' };
 * ```
 */
export interface TraceStart {
  startTime?: number;
  timing?: TraceTiming;
}

/**
 * A model call as its span describes it.
 *
 * @example
 * ```ts
 * const call: ModelCallTrace = { stepId: 'answer', stepType: 'respond', request, stream: true };
 * ```
 */
export interface ModelCallTrace {
  stepId: string;
  stepType: StepType;
  /** The request sent; with `recordContent`, its system prompt and messages go on the span. */
  request: ModelRequest;
  stream: boolean;
  /** Which attempt of the step this call is, from 1. */
  attempt?: number;
}

/**
 * How a model call ended.
 *
 * @example
 * ```ts
 * telemetry.endModelCall(call, { usage: { inputTokens: 10, outputTokens: 3 }, text: 'true', stopReason: 'end_turn' });
 * ```
 */
export interface ModelCallOutcome {
  usage?: ModelUsage;
  /** The answer; recorded only with `recordContent`. */
  text?: string;
  stopReason?: string;
  error?: unknown;
  endTime?: number;
}

/**
 * How a step ended.
 *
 * @example
 * ```ts
 * telemetry.endStep(step, { error, attempts: 3 });
 * ```
 */
export interface StepOutcome {
  error?: unknown;
  /** Attempts made under a retry policy, when known. */
  attempts?: number;
  /** The variant a `split` took. */
  variant?: string;
  endTime?: number;
}

/**
 * What starts a run's telemetry.
 *
 * @example
 * ```ts
 * const init: RunTelemetryInit = { chain: 'qa', runId: 'req-42', runtime: 'local', parent: context.active() };
 * ```
 */
export interface RunTelemetryInit {
  chain: string;
  /** The run's id (`RunOptions.runId`); generated when absent. */
  runId: string | undefined;
  /** `local`, `sfn`. */
  runtime: string;
  /** The caller's context when `run()` or `stream()` was called: the run span's parent. */
  parent: unknown;
  startTime?: number;
  attributes?: TelemetryAttributes;
}

/** The attributes without their `undefined` values (an SDK warns about them). */
function defined(attributes: TelemetryAttributes): TelemetryAttributes {
  const out: TelemetryAttributes = {};
  for (const key in attributes) if (attributes[key] !== undefined) out[key] = attributes[key];
  return out;
}

/** The message of a failure, at most 500 characters. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}

/**
 * The spans of one run, shared by every runtime so that a chain gives the same span tree wherever it runs: a run
 * span `invoke_workflow {chain}` (GenAI semantic conventions), a span per step `step {stepId}` under its parent
 * (the run, or its `parallel`, `choose`, `map` or `split`), and under the step a CLIENT span per model call
 * (`chat {model}`) or knowledge-base call (`retrieval {knowledgeBaseId}`), one per attempt. Attributes follow the
 * OpenTelemetry GenAI semantic conventions, plus `stepwise.chain`, `stepwise.run_id`, `stepwise.step.id` and
 * `stepwise.step.type`; prompts and answers only with `recordContent`. A failed span has status ERROR and
 * `error.type` (the ASL error name). Runtimes start live spans without times, and Step Functions' rebuilt step spans
 * with the times its execution recorded.
 *
 * @example
 * ```ts
 * const telemetry = RunTelemetry.start(api, options, { chain: 'qa', runId, runtime: 'local', parent: context.active() });
 * if (telemetry) {
 *   const step = telemetry.startStep(telemetry.run, { id: 'classify', type: 'invoke' });
 *   const call = telemetry.startModelCall(step, { stepId: 'classify', stepType: 'invoke', request, stream: false });
 *   const response = await telemetry.within(call, () => models.doInvoke(request));
 *   telemetry.endModelCall(call, { usage: response.usage, text: response.text });
 *   telemetry.endStep(step, {});
 *   telemetry.endRun({ usage });
 * }
 * ```
 */
export class RunTelemetry {
  /** Whether prompts and answers go on the spans. */
  readonly recordContent: boolean;
  /** The run span. */
  readonly run: TraceSpan;
  /** The run's id, as given or generated: the runtime reports it in `chain-start`. */
  readonly runId: string;
  private readonly base: TelemetryAttributes;

  private constructor(
    private readonly api: TelemetryApi,
    options: TelemetryOptions,
    run: TraceSpan,
    runId: string,
    base: TelemetryAttributes,
  ) {
    this.recordContent = options.recordContent === true;
    this.run = run;
    this.runId = runId;
    this.base = base;
  }

  /**
   * Starts a run's span under `init.parent`. Returns `undefined` when tracing is off (`enabled: false`) or the span
   * does not record (no SDK registered, or the trace is not sampled): the runtime then creates no other span, so an
   * application without an SDK pays for one no-op span per run.
   */
  static start(
    api: TelemetryApi,
    options: TelemetryOptions | undefined,
    init: RunTelemetryInit,
  ): RunTelemetry | undefined {
    if (options?.enabled === false) return undefined;
    const span = api.tracer.startSpan(
      `invoke_workflow ${init.chain}`,
      {
        kind: SPAN_KIND.internal,
        attributes: defined({
          [A.operationName]: 'invoke_workflow',
          [A.workflowName]: init.chain,
          [A.chain]: init.chain,
          [A.runtime]: init.runtime,
          ...init.attributes,
        }),
        ...(init.startTime !== undefined ? { startTime: init.startTime } : {}),
      },
      init.parent,
    );
    if (!span.isRecording()) {
      span.end();
      return undefined;
    }
    // Generated only for a span that records: a run without an SDK pays nothing for it.
    const runId = init.runId ?? globalThis.crypto.randomUUID();
    span.setAttribute(A.runId, runId);
    const run = { span, context: api.trace.setSpan(init.parent, span) };
    return new RunTelemetry(api, options ?? {}, run, runId, { [A.chain]: init.chain, [A.runId]: runId });
  }

  /** Sets attributes on a span (`undefined` values are left out). */
  setAttributes(target: TraceSpan, attributes: TelemetryAttributes): void {
    for (const key in attributes) {
      const value = attributes[key];
      if (value !== undefined) target.span.setAttribute(key, value);
    }
  }

  /** Runs `fn` with `target` as the active span, so that instrumented clients called inside nest under it. */
  within<T>(target: TraceSpan, fn: () => T): T {
    return this.api.context.with(target.context, fn);
  }

  /** Starts the span of a step under `parent` (the run span, or the step that contains this one). */
  startStep(parent: TraceSpan | undefined, step: { id: string; type: StepType }, at: TraceStart = {}): TraceSpan {
    return this.child(parent, `step ${step.id}`, SPAN_KIND.internal, at, {
      [A.stepId]: step.id,
      [A.stepType]: step.type,
    });
  }

  /** Ends a step's span: ERROR with `error.type` when it failed; its attempts and the `split` variant when known. */
  endStep(target: TraceSpan, outcome: StepOutcome = {}): void {
    this.setAttributes(target, { [A.stepAttempts]: outcome.attempts, [A.stepVariant]: outcome.variant });
    this.end(target, outcome.error, outcome.endTime);
  }

  /** Starts the CLIENT span of a model call, `chat {model}`, under its step's span. */
  startModelCall(parent: TraceSpan | undefined, call: ModelCallTrace, at: TraceStart = {}): TraceSpan {
    const { request } = call;
    const { provider, model } = genAiModelOf(request.modelId);
    const attributes: TelemetryAttributes = {
      [A.operationName]: 'chat',
      [A.providerName]: provider,
      [A.requestModel]: model,
      [A.stepId]: call.stepId,
      [A.stepType]: call.stepType,
      [A.requestStream]: call.stream,
      [A.requestMaxTokens]: request.maxTokens,
      [A.requestTemperature]: request.temperature,
      [A.requestTopP]: request.topP,
      [A.requestStopSequences]: request.stopSequences,
      [A.callAttempt]: call.attempt,
    };
    if (this.recordContent) {
      if (request.system !== undefined) {
        attributes[A.systemInstructions] = JSON.stringify([{ type: 'text', content: request.system }]);
      }
      attributes[A.inputMessages] = JSON.stringify(
        request.messages.map((message) => ({
          role: message.role,
          parts: [{ type: 'text', content: message.content }],
        })),
      );
    }
    return this.child(parent, `chat ${model}`, SPAN_KIND.client, at, attributes);
  }

  /** Ends a model call's span with its token usage (and answer, with `recordContent`), or its failure. */
  endModelCall(target: TraceSpan, outcome: ModelCallOutcome = {}): void {
    const attributes: TelemetryAttributes = {
      [A.usageInputTokens]: outcome.usage?.inputTokens,
      [A.usageOutputTokens]: outcome.usage?.outputTokens,
      [A.responseFinishReasons]: outcome.stopReason === undefined ? undefined : [outcome.stopReason],
    };
    if (this.recordContent && outcome.text !== undefined) {
      const message: Record<string, unknown> = {
        role: 'assistant',
        parts: [{ type: 'text', content: outcome.text }],
      };
      if (outcome.stopReason !== undefined) message.finish_reason = outcome.stopReason;
      attributes[A.outputMessages] = JSON.stringify([message]);
    }
    this.setAttributes(target, attributes);
    this.end(target, outcome.error, outcome.endTime);
  }

  /** Starts the CLIENT span of a knowledge-base search, `retrieval {knowledgeBaseId}`, under its step's span. */
  startRetrieval(
    parent: TraceSpan | undefined,
    call: { stepId: string; knowledgeBaseId: string; topK: number; query?: string; attempt?: number },
    at: TraceStart = {},
  ): TraceSpan {
    return this.child(parent, `retrieval ${call.knowledgeBaseId}`, SPAN_KIND.client, at, {
      [A.operationName]: 'retrieval',
      [A.providerName]: 'aws.bedrock',
      [A.dataSourceId]: call.knowledgeBaseId,
      [A.stepId]: call.stepId,
      [A.stepType]: 'retrieve',
      [A.requestTopK]: call.topK,
      [A.callAttempt]: call.attempt,
      [A.retrievalQueryText]: this.recordContent ? call.query : undefined,
    });
  }

  /** Ends a knowledge-base search's span (its documents' sources and scores with `recordContent`), or its failure. */
  endRetrieval(
    target: TraceSpan,
    outcome: { results?: RetrievalResult[]; error?: unknown; endTime?: number } = {},
  ): void {
    if (this.recordContent && outcome.results) {
      const documents = outcome.results.map((result, index) => ({
        id: result.source ?? String(index),
        score: result.score,
      }));
      target.span.setAttribute(A.retrievalDocuments, JSON.stringify(documents));
    }
    this.end(target, outcome.error, outcome.endTime);
  }

  /** Ends the run span: the run's total tokens, or its failure. */
  endRun(outcome: { usage?: ChainUsage; error?: unknown; endTime?: number; attributes?: TelemetryAttributes }): void {
    this.setAttributes(this.run, {
      [A.usageTotalInputTokens]: outcome.usage?.inputTokens,
      [A.usageTotalOutputTokens]: outcome.usage?.outputTokens,
      ...outcome.attributes,
    });
    this.end(this.run, outcome.error, outcome.endTime);
  }

  private child(
    parent: TraceSpan | undefined,
    name: string,
    kind: number,
    at: TraceStart,
    attributes: TelemetryAttributes,
  ): TraceSpan {
    const context = (parent ?? this.run).context;
    const span = this.api.tracer.startSpan(
      name,
      {
        kind,
        attributes: defined({ ...this.base, ...attributes, [A.timing]: at.timing }),
        ...(at.startTime !== undefined ? { startTime: at.startTime } : {}),
      },
      context,
    );
    return { span, context: this.api.trace.setSpan(context, span) };
  }

  private end(target: TraceSpan, error: unknown, endTime: number | undefined): void {
    if (error !== undefined) {
      target.span.setAttribute(A.errorType, errorTypeOf(error));
      target.span.setStatus({
        code: SPAN_STATUS.error,
        message: this.recordContent ? messageOf(error) : errorTypeOf(error),
      });
    }
    target.span.end(endTime);
  }
}
