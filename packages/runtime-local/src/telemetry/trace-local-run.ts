import {
  type ChainResult,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type RetrievalRequest,
  type RetrievalResult,
  type RunTelemetry,
  type Step,
  TELEMETRY_ATTRIBUTES,
  type TraceSpan,
} from '@stepwise/core';

/**
 * Ends the run span when the run settles: its total tokens, or its failure.
 * @internal
 */
export function traceRun<Result extends ChainResult>(
  telemetry: RunTelemetry | undefined,
  running: Promise<Result>,
): Promise<Result> {
  if (telemetry === undefined) return running;
  return running.then(
    (result) => {
      telemetry.endRun({ usage: result.usage });
      return result;
    },
    (error: unknown) => {
      telemetry.endRun({ error });
      throw error;
    },
  );
}

/**
 * Runs a step inside its span, a child of the scope's span (the run, or the step that contains this one): the steps
 * and calls inside it run with the step's span as their parent. A step with a retry policy counts its attempts.
 * @internal
 */
export function traceStep<Scope extends { span: TraceSpan | undefined }>(
  telemetry: RunTelemetry,
  step: Step,
  scope: Scope,
  run: (scope: Scope) => Promise<unknown>,
): Promise<unknown> {
  const span = telemetry.startStep(scope.span, step);
  if (step.type !== 'respond' && step.policy?.retry) {
    telemetry.setAttributes(span, { [TELEMETRY_ATTRIBUTES.stepAttempts]: 1 });
  }
  return run({ ...scope, span }).then(
    (output) => {
      const variant = step.type === 'split' ? (output as { variant?: string } | null)?.variant : undefined;
      telemetry.endStep(span, variant === undefined ? {} : { variant });
      return output;
    },
    (error: unknown) => {
      telemetry.endStep(span, { error });
      throw error;
    },
  );
}

/**
 * Records one more attempt of a step that its policy retries.
 * @internal
 */
export function traceRetry(telemetry: RunTelemetry | undefined, span: TraceSpan | undefined, attempt: number): void {
  if (telemetry !== undefined && span !== undefined) {
    telemetry.setAttributes(span, { [TELEMETRY_ATTRIBUTES.stepAttempts]: attempt });
  }
}

/**
 * An `invoke`'s model call in its `chat {model}` span, active while the provider works (an instrumented HTTP client
 * nests under it): one span per call, so each attempt of a retried step has its own.
 * @internal
 */
export async function traceInvoke(
  telemetry: RunTelemetry,
  parent: TraceSpan,
  step: Step,
  request: ModelRequest,
  models: ModelProvider,
  signal: AbortSignal,
): Promise<ModelResponse> {
  const call = telemetry.startModelCall(parent, {
    stepId: step.id,
    stepType: step.type,
    request,
    stream: false,
  });
  try {
    const response = await telemetry.within(call, () => models.doInvoke(request, { signal }));
    telemetry.endModelCall(call, { usage: response.usage, text: response.text, stopReason: response.stopReason });
    return response;
  } catch (error) {
    telemetry.endModelCall(call, { error: signal.aborted ? signal.reason : error });
    throw error;
  }
}

/**
 * A `retrieve`'s knowledge-base search in its `retrieval {knowledgeBaseId}` span.
 * @internal
 */
export async function traceRetrieve(
  telemetry: RunTelemetry,
  parent: TraceSpan,
  stepId: string,
  request: RetrievalRequest,
  search: () => Promise<RetrievalResult[]>,
): Promise<RetrievalResult[]> {
  const call = telemetry.startRetrieval(parent, { stepId, ...request });
  try {
    const results = await telemetry.within(call, search);
    telemetry.endRetrieval(call, { results });
    return results;
  } catch (error) {
    telemetry.endRetrieval(call, { error });
    throw error;
  }
}

/**
 * The spans of a `respond` step: the step's, from its start, and its streamed model call's, active while the provider
 * streams.
 * @internal
 */
export class RespondTrace {
  private readonly span: TraceSpan;
  private call: TraceSpan | undefined;

  constructor(
    private readonly telemetry: RunTelemetry,
    parent: TraceSpan,
    private readonly step: Step,
  ) {
    this.span = telemetry.startStep(parent, step);
  }

  /** Streams inside the model call's span; a failed stream ends that span with its error. */
  async stream(request: ModelRequest, consume: () => Promise<void>): Promise<void> {
    const { telemetry, step } = this;
    const call = telemetry.startModelCall(this.span, { stepId: step.id, stepType: step.type, request, stream: true });
    this.call = call;
    try {
      await telemetry.within(call, consume);
    } catch (error) {
      this.call = undefined;
      telemetry.endModelCall(call, { error });
      throw error;
    }
  }

  /** The answer streamed whole. */
  end(output: { text: string; usage: ModelResponse['usage'] }): void {
    if (this.call) this.telemetry.endModelCall(this.call, { usage: output.usage, text: output.text });
    this.call = undefined;
    this.telemetry.endStep(this.span);
  }

  /** The step failed (before, during or after the stream). */
  fail(error: unknown): void {
    if (this.call) this.telemetry.endModelCall(this.call, { error });
    this.call = undefined;
    this.telemetry.endStep(this.span, { error });
  }
}
