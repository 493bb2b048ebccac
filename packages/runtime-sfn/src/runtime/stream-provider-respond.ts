import {
  AbortedError,
  type ChainEvent,
  forEachItem,
  type ModelProvider,
  type ModelRequest,
  type ModelUsage,
  PROVIDER_ERRORS,
  providerError,
  type RespondStep,
  type RunTelemetry,
  respondMessages,
  StepFailedError,
  StepwiseError,
  type TraceSpan,
} from '@stepwise/core';
import type { RespondRequest } from '../compiler/respond-request';

/** The model request of a rendered `respond` step: the kept history (checked as runtime-local checks it), the prompt. */
function modelRequest(request: RespondRequest, step: RespondStep, stepId: string): ModelRequest {
  const messages =
    request.messages === undefined
      ? []
      : respondMessages(request.messages, { stepId: step.id, from: step.messages?.from ?? '', last: request.last });
  const out: ModelRequest = { modelId: request.modelId, stepId, messages: [...messages] };
  if (request.prompt !== undefined) out.messages.push({ role: 'user', content: request.prompt });
  if (request.system !== undefined) out.system = request.system;
  const config = request.inferenceConfig;
  if (config?.maxTokens !== undefined) out.maxTokens = config.maxTokens;
  if (config?.temperature !== undefined) out.temperature = config.temperature;
  if (config?.topP !== undefined) out.topP = config.topP;
  if (config?.stopSequences !== undefined) out.stopSequences = config.stopSequences;
  return out;
}

/** A failure of the streamed answer as the step's failure, under the provider's error name. */
function failure(error: unknown, stepId: string, signal: AbortSignal | undefined): StepwiseError {
  if (signal?.aborted || AbortedError.isInstance(error)) {
    return AbortedError.isInstance(error) ? error : new AbortedError('The run was aborted.', { cause: error, stepId });
  }
  if (StepFailedError.isInstance(error)) return error;
  const named = error as { error?: unknown; message?: unknown; retryable?: unknown };
  const name = typeof named?.error === 'string' ? named.error : PROVIDER_ERRORS.streamCut;
  const message = typeof named?.message === 'string' ? named.message : String(error);
  return new StepFailedError(`Step "${stepId}" failed: ${name}: ${message}`, {
    error: name,
    errorCause: message,
    stepId,
    cause: error,
    retryable: named?.retryable === true,
  });
}

/**
 * Streams a `respond` step on another provider's model (`openai:...`) in the server process, through the
 * `ModelProvider` the SFN runtime was given (`aiSdkModels(...)`), as runtime-local streams it: text deltas as they
 * come, then the usage. A stream that ends without its finish fails with `Provider.StreamCut`.
 * @internal
 */
export async function* streamProviderRespond(
  models: ModelProvider | undefined,
  step: RespondStep,
  request: RespondRequest,
  signal: AbortSignal | undefined,
  traced?: { telemetry: RunTelemetry; call: TraceSpan },
): AsyncGenerator<ChainEvent, { text: string; usage: ModelUsage; ms: number }> {
  const started = Date.now();
  const stepId = request.stepId ?? step.id;
  if (models === undefined) {
    throw new StepwiseError(
      `Step "${stepId}" streams from "${request.modelId}": give createSfnRuntime a models provider for it ` +
        '(models: aiSdkModels({ ... }) from @stepwise/runtime-local/ai-sdk).',
    );
  }
  const call = modelRequest(request, step, stepId);
  let text = '';
  let usage: ModelUsage | undefined;
  // The provider may push parts (fakeModels does): collect them, and hand them on in order.
  const pending: ChainEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failed: unknown;
  // The call's span is active while the provider starts its request, so an instrumented HTTP client nests under it.
  const open = () => models.doStream(call, signal ? { signal } : {});
  const consuming = forEachItem(traced ? traced.telemetry.within(traced.call, open) : open(), (part) => {
    if (part.type === 'text-delta') {
      text += part.delta;
      pending.push({ type: 'text-delta', stepId, delta: part.delta });
    } else {
      usage = part.usage;
    }
    wake?.();
  }).then(
    () => {
      done = true;
      wake?.();
    },
    (error: unknown) => {
      failed = error;
      done = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      while (pending.length > 0) yield pending.shift()!;
      if (done) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    await consuming;
  } catch (error) {
    throw failure(error, stepId, signal);
  }
  if (failed !== undefined) throw failure(failed, stepId, signal);
  if (signal?.aborted) throw new AbortedError('The run was aborted.', { stepId });
  if (usage === undefined) {
    throw failure(
      providerError(`The answer of step "${stepId}" ended before its finish.`, { error: PROVIDER_ERRORS.streamCut }),
      stepId,
      signal,
    );
  }
  return { text, usage, ms: Date.now() - started };
}
