import type {
  LanguageModelV2,
  LanguageModelV3,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
} from '@ai-sdk/provider';
import {
  AbortedError,
  type ModelCallOptions,
  ModelError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  type ModelUsage,
  PROVIDER_ERRORS,
  parseModelReference,
  providerError,
  StepwiseError,
  type StopReason,
  stopReasonOf,
} from '@stepwise/core';

/**
 * An AI SDK language model of any specification version the installed `ai` package runs (`LanguageModelV4`, `V3`
 * or `V2`, from `@ai-sdk/provider`).
 *
 * @example
 * ```ts
 * const model: AiSdkLanguageModel = createOpenAI({ apiKey }).chat('gpt-4o-mini');
 * ```
 */
export type AiSdkLanguageModel = LanguageModelV4 | LanguageModelV3 | LanguageModelV2;

/**
 * What {@link aiSdkModels} takes for each provider: an AI SDK provider (`createOpenAI(...)`,
 * `createAnthropic(...)`, `createOpenAICompatible(...)`: anything with `languageModel(id)`), or a function from a
 * model id to a language model (`(id) => openai.chat(id)` to pick OpenAI's Chat Completions API).
 *
 * @example
 * ```ts
 * const openai: AiSdkProvider = createOpenAI({ apiKey: process.env.OPENAI_API_KEY });
 * const chat: AiSdkProvider = (id) => openai.chat(id);
 * ```
 */
export type AiSdkProvider =
  | { languageModel(modelId: string): AiSdkLanguageModel }
  | ((modelId: string) => AiSdkLanguageModel);

/**
 * The providers of {@link aiSdkModels}, by the prefix chains use: `openai:gpt-4o-mini` goes to `openai`,
 * `anthropic:claude-sonnet-4-5` to `anthropic`, `compatible:<model>` to `compatible` (on Step Functions an
 * OpenAI-compatible Chat Completions endpoint; here any AI SDK provider, such as `createOpenAICompatible(...)`
 * pointed at the same endpoint, or `createMistral(...)`).
 *
 * @example
 * ```ts
 * const providers: AiSdkProviders = { openai: createOpenAI(), compatible: createOpenAICompatible({ name: 'ollama', baseURL }) };
 * ```
 */
export interface AiSdkProviders {
  openai?: AiSdkProvider;
  anthropic?: AiSdkProvider;
  compatible?: AiSdkProvider;
}

/**
 * Options of {@link aiSdkModels}.
 *
 * @example
 * ```ts
 * const options: AiSdkModelsOptions = { fallback: bedrockModels({ region: 'us-east-1' }) };
 * ```
 */
export interface AiSdkModelsOptions {
  /**
   * The provider for every other model reference: Bedrock model ids (`bedrockModels()`, `fakeModels()`), so one
   * runtime serves a chain that mixes Bedrock and other providers. Without it such a call fails with
   * `Bedrock.ValidationException`.
   */
  fallback?: ModelProvider;
  /**
   * Sends the step id of each call in this HTTP header (the emulator's loopback OpenAI-compatible server answers by
   * step id from `x-stepwise-step-id`). Default: no header; the step id stays in the process.
   */
  stepIdHeader?: string;
}

type Usage = { inputTokens: unknown; outputTokens: unknown };
type FinishReason = string | { unified: string; raw?: string | undefined };
type StreamPart = { type: string; delta?: string; error?: unknown; usage?: Usage; finishReason?: FinishReason };

/** AI SDK errors that say the provider answered, but not in its API's shape: `States.Runtime`, as on Step Functions. */
const MALFORMED = new Set(['AI_JSONParseError', 'AI_TypeValidationError', 'AI_NoContentGeneratedError']);
/** AI SDK errors of a request the provider would refuse, found before sending it. */
const REFUSED = new Set(['AI_InvalidPromptError', 'AI_UnsupportedFunctionalityError', 'AI_InvalidArgumentError']);
const NETWORK = /^(?:ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR)/;

function aborted(cause?: unknown): AbortedError {
  return new AbortedError('The model call was aborted.', cause === undefined ? {} : { cause });
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}

/**
 * Where a model call failed: a whole call (`doGenerate`), a stream being opened (`doStream`, which some providers
 * return only once the first output arrived), or a stream being read.
 */
type CallStage = 'invoke' | 'open' | 'read';

/**
 * Names a failure of an AI SDK model call (see `PROVIDER_ERRORS`): an HTTP answer by its status, no answer as
 * `Provider.ConnectionError`, a malformed answer as `States.Runtime`; once a stream has started, any unnamed failure
 * is `Provider.StreamCut`, and so is a stream whose 2xx answer broke before its first delta (`@ai-sdk/openai` reads
 * ahead to the first output before `doStream` returns). Aborts become `AbortedError`.
 */
function toModelFailure(error: unknown, signal: AbortSignal | undefined, stage: CallStage): Error {
  const started = stage === 'read';
  if (signal?.aborted || (error as { name?: unknown } | null)?.name === 'AbortError') return aborted(error);
  if (StepwiseError.isInstance(error)) return error;
  const failure = (error ?? {}) as { name?: unknown; statusCode?: unknown; code?: unknown; cause?: unknown };
  const name = typeof failure.name === 'string' ? failure.name : '';
  const message = messageOf(error);
  if (name === 'AI_APICallError') {
    const status = typeof failure.statusCode === 'number' ? failure.statusCode : undefined;
    // No status: no answer. A 2xx whose body then broke ("Failed to process successful response"): the provider
    // answered, so a stream it opened was cut, wherever it broke; a whole answer never arrived (the emulator's HTTP
    // Task fails such an answer with States.Http.Socket, which is Provider.ConnectionError).
    if (status === undefined) {
      const broken = started ? PROVIDER_ERRORS.streamCut : PROVIDER_ERRORS.connectionError;
      return providerError(message, { error: broken, cause: error });
    }
    if (status >= 200 && status < 300) {
      const broken = stage === 'invoke' ? PROVIDER_ERRORS.connectionError : PROVIDER_ERRORS.streamCut;
      return providerError(message, { error: broken, cause: error });
    }
    return providerError(message, { status, cause: error });
  }
  if (name === 'AI_LoadAPIKeyError')
    return providerError(message, { error: PROVIDER_ERRORS.unauthorized, cause: error });
  if (REFUSED.has(name)) return providerError(message, { status: 400, cause: error });
  if (started) return providerError(message, { error: PROVIDER_ERRORS.streamCut, cause: error });
  if (MALFORMED.has(name)) return new ModelError(message, { error: 'States.Runtime', cause: error });
  const code = typeof failure.code === 'string' ? failure.code : '';
  const network = error instanceof TypeError || NETWORK.test(code);
  return providerError(message, {
    error: network ? PROVIDER_ERRORS.connectionError : PROVIDER_ERRORS.serverError,
    cause: error,
  });
}

function tokens(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  const total = (value as { total?: unknown } | undefined)?.total;
  return typeof total === 'number' && Number.isFinite(total) ? total : 0;
}

function usageOf(usage: Usage | undefined): ModelUsage {
  return { inputTokens: tokens(usage?.inputTokens), outputTokens: tokens(usage?.outputTokens) };
}

const KNOWN_RAW = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'content_filtered']);

/** The stop reason of an AI SDK finish reason (V4/V3 `{ unified, raw }`, V2 a string). */
function stopReasonFrom(reason: FinishReason | undefined): StopReason {
  const unified = typeof reason === 'string' ? reason : reason?.unified;
  const raw = typeof reason === 'object' ? reason.raw : undefined;
  if (raw !== undefined && KNOWN_RAW.has(raw)) return stopReasonOf(raw);
  switch (unified) {
    case 'length':
      return 'max_tokens';
    case 'content-filter':
      return 'content_filtered';
    case 'tool-calls':
      return 'tool_use';
    default:
      return 'end_turn';
  }
}

/** Whether a finish reason says the stream ended without the provider's completion signal, or on an error. */
function cutShort(reason: FinishReason | undefined): boolean {
  const unified = typeof reason === 'string' ? reason : reason?.unified;
  return unified === 'interrupted' || unified === 'error' || unified === undefined;
}

function promptOf(request: ModelRequest): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = [];
  if (request.system !== undefined) prompt.push({ role: 'system', content: request.system });
  for (const message of request.messages) {
    prompt.push({ role: message.role, content: [{ type: 'text', text: message.content }] });
  }
  return prompt;
}

/**
 * Turns AI SDK language models into a stepwise `ModelProvider`, so runtime-local runs chains on any model the AI SDK
 * reaches. A model reference `openai:gpt-4o-mini` goes to `providers.openai` (its `languageModel('gpt-4o-mini')`),
 * `anthropic:...` to `providers.anthropic`, `compatible:...` to `providers.compatible`; anything else (a Bedrock model
 * id) to `options.fallback`.
 *
 * - `doInvoke` calls the model's `doGenerate`, `doStream` its `doStream`: the system prompt, the messages (a final
 *   assistant message is the prefill), `maxTokens`, `temperature`, `topP` and `stopSequences`, and the abort signal.
 *   Usage is the model's input and output token totals (0 where it reports none).
 * - A stream yields text deltas, then one `finish`. A stream that ends without the provider's completion signal (the
 *   AI SDK's `interrupted` finish), with an error finish, or without a finish at all fails with `Provider.StreamCut`
 *   after the deltas it did carry: a cut answer is never passed off as whole.
 * - Failures are `ModelError`s under the names of `PROVIDER_ERRORS`, which policies match on both runtimes: HTTP 429
 *   `Provider.RateLimited`, 5xx `Provider.ServerError`, 401/403 `Provider.Unauthorized`, other 4xx
 *   `Provider.BadRequest`, no answer `Provider.ConnectionError`; an answer not in the API's shape `States.Runtime`.
 *   An abort is an `AbortedError`.
 *
 * Install the AI SDK provider packages you use (`@ai-sdk/openai`, `@ai-sdk/anthropic`, ...): they are optional
 * peer dependencies, and runtime-local's main entry does not load them.
 *
 * @example
 * ```ts
 * import { createOpenAI } from '@ai-sdk/openai';
 * import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
 * import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
 *
 * const openai = createOpenAI({ apiKey: process.env.OPENAI_API_KEY });
 * const runtime = createLocalRuntime({
 *   models: aiSdkModels({ openai: (id) => openai.chat(id) }, { fallback: bedrockModels() }),
 * });
 * ```
 */
export function aiSdkModels(providers: AiSdkProviders, options: AiSdkModelsOptions = {}): ModelProvider {
  const models = new Map<string, LanguageModelV4>();
  const configured = Object.keys(providers).filter((key) => providers[key as keyof AiSdkProviders] !== undefined);
  const header = options.stepIdHeader;

  /** The language model of a provider reference, or `undefined` for one the fallback serves. */
  const modelFor = (reference: string): LanguageModelV4 | undefined => {
    const cached = models.get(reference);
    if (cached !== undefined) return cached;
    const { provider, model } = parseModelReference(reference);
    if (provider === 'bedrock') return undefined;
    const source = providers[provider];
    if (source === undefined) {
      throw providerError(
        `aiSdkModels has no "${provider}" provider for model "${reference}"; configured: ${configured.join(', ') || 'none'}.`,
        { status: 400 },
      );
    }
    const languageModel = (
      typeof source === 'function' ? source(model) : source.languageModel(model)
    ) as LanguageModelV4;
    models.set(reference, languageModel);
    return languageModel;
  };

  const callOptions = (request: ModelRequest, signal: AbortSignal | undefined): LanguageModelV4CallOptions => {
    const call: LanguageModelV4CallOptions = { prompt: promptOf(request) };
    if (request.maxTokens !== undefined) call.maxOutputTokens = request.maxTokens;
    if (request.temperature !== undefined) call.temperature = request.temperature;
    if (request.topP !== undefined) call.topP = request.topP;
    if (request.stopSequences !== undefined) call.stopSequences = request.stopSequences;
    if (signal !== undefined) call.abortSignal = signal;
    if (header !== undefined && request.stepId !== undefined) call.headers = { [header]: request.stepId };
    return call;
  };

  const fallback = (reference: string): ModelProvider => {
    if (options.fallback) return options.fallback;
    throw new ModelError(
      `aiSdkModels serves provider models ("openai:...") only; pass a fallback (bedrockModels()) for "${reference}".`,
      { error: 'Bedrock.ValidationException', statusCode: 400 },
    );
  };

  return {
    specificationVersion: 'v1',
    provider: 'ai-sdk',
    async doInvoke(request: ModelRequest, call: ModelCallOptions = {}): Promise<ModelResponse> {
      const { signal } = call;
      if (signal?.aborted) throw aborted();
      const model = modelFor(request.modelId);
      if (model === undefined) return fallback(request.modelId).doInvoke(request, call);
      let result: Awaited<ReturnType<LanguageModelV4['doGenerate']>>;
      try {
        result = await model.doGenerate(callOptions(request, signal));
      } catch (error) {
        throw toModelFailure(error, signal, 'invoke');
      }
      let text = '';
      for (const part of result.content) if (part.type === 'text') text += part.text;
      return {
        text,
        usage: usageOf(result.usage as Usage),
        stopReason: stopReasonFrom(result.finishReason as FinishReason),
      };
    },
    doStream(request: ModelRequest, call: ModelCallOptions = {}): AsyncIterable<ModelStreamPart> {
      const model = modelFor(request.modelId);
      if (model === undefined) return fallback(request.modelId).doStream(request, call);
      return streamParts(model, callOptions(request, call.signal), call.signal);
    },
  };
}

/** One streamed call: text deltas as they come, then one finish, or a named failure. */
async function* streamParts(
  model: LanguageModelV4,
  call: LanguageModelV4CallOptions,
  signal: AbortSignal | undefined,
): AsyncGenerator<ModelStreamPart, void, undefined> {
  if (signal?.aborted) throw aborted();
  let reader: ReadableStreamDefaultReader<StreamPart>;
  try {
    const { stream } = await model.doStream(call);
    reader = (stream as ReadableStream<StreamPart>).getReader();
  } catch (error) {
    throw toModelFailure(error, signal, 'open');
  }
  let finish: Extract<StreamPart, { type: string }> | undefined;
  let open = true;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<StreamPart>;
      try {
        next = await reader.read();
      } catch (error) {
        open = false;
        throw toModelFailure(error, signal, 'read');
      }
      if (next.done) {
        open = false;
        break;
      }
      const part = next.value;
      if (part.type === 'text-delta') {
        if (part.delta) yield { type: 'text-delta', delta: part.delta };
      } else if (part.type === 'finish') {
        finish = part;
      } else if (part.type === 'error') {
        throw toModelFailure(part.error, signal, 'read');
      }
    }
  } finally {
    if (open) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  if (signal?.aborted) throw aborted();
  if (finish === undefined || cutShort(finish.finishReason)) {
    throw providerError('The model stream ended before its finish: the answer is incomplete.', {
      error: PROVIDER_ERRORS.streamCut,
    });
  }
  yield { type: 'finish', usage: usageOf(finish.usage), stopReason: stopReasonFrom(finish.finishReason) };
}
