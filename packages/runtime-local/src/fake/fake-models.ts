import {
  AbortedError,
  type BedrockApi,
  createPushIterable,
  getModelAdapter,
  isProviderModel,
  type ModelCallOptions,
  ModelError,
  type ModelFamilyAdapter,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  type ModelUsage,
  PROVIDER_ERRORS,
  type ProviderErrorName,
  type PushIterable,
  type PushSink,
  providerError,
  type StopReason,
  validateModelRequest,
} from '@stepwise/core';
import { countFakeTokens, fakeTextDeltas, fakeTokenCount } from './fake-tokens';

/**
 * One scripted answer. A string is the answer text. An object scripts more:
 * - `text`: the answer (the part after any prefill); `echo: true` answers with the last user message instead;
 * - `throttle: n`: the first `n` calls answered by this reply fail with `Bedrock.ThrottlingException` (HTTP 429);
 * - `fail: 'Bedrock.<Name>'` (or `'<Name>'`): every call fails with that Bedrock error;
 * - `timeout: true`: every call fails with `Bedrock.ModelTimeoutException` (HTTP 408);
 * - `failAfterDeltas: k`: a stream fails with `Bedrock.ModelStreamErrorException` after `k` text deltas;
 * - `firstTokenMs`, `tokenMs`: latencies of this reply; `stopReason`: default `end_turn`.
 */
export type FakeReply =
  | string
  | {
      text?: string;
      echo?: boolean;
      throttle?: number;
      fail?: string;
      timeout?: boolean;
      failAfterDeltas?: number;
      firstTokenMs?: number;
      tokenMs?: number;
      stopReason?: StopReason;
    };

/**
 * Options of {@link fakeModels}.
 *
 * @example
 * ```ts
 * const options: FakeModelsOptions = { byStep: { classify: 'true' }, default: 'ok', tokenMs: 5 };
 * ```
 */
export interface FakeModelsOptions {
  /** Answers by step id (`ModelRequest.stepId`). Checked first. */
  byStep?: { [stepId: string]: FakeReply };
  /** A function of the request; return `undefined` to fall through. Checked second. */
  respond?: (request: ModelRequest) => FakeReply | undefined;
  /** Answers in call order, whatever the call; each entry is used once (after its scripted throttles). Checked third. */
  queue?: FakeReply[];
  /** Answers by model id. Checked fourth. */
  byModel?: { [modelId: string]: FakeReply };
  /** The answer when nothing else applies. Without one, such a call fails with `Bedrock.ValidationException`. */
  default?: FakeReply;
  /** Milliseconds before the first text delta, and before a whole (`doInvoke`) answer. Default 0. */
  firstTokenMs?: number;
  /** Milliseconds between text deltas. Default 0. */
  tokenMs?: number;
  /** The first `n` calls of the provider, whatever they answer, fail with `Bedrock.ThrottlingException`. */
  throttle?: number;
}

/**
 * Options of the wire helpers of a {@link FakeModelProvider}.
 *
 * @example
 * ```ts
 * await models.invokeBody(modelId, body, { stepId: 'classify', signal });
 * ```
 */
export interface FakeWireOptions {
  /** The step the call serves, when the caller knows it (the emulator reads it from the state's `Comment`). */
  stepId?: string;
  signal?: AbortSignal;
}

/**
 * The provider {@link fakeModels} returns: a `ModelProvider` that records its calls and speaks the families' wire shapes.
 *
 * @example
 * ```ts
 * const models: FakeModelProvider = fakeModels({ default: 'ok' });
 * expect(models.calls).toHaveLength(0);
 * ```
 */
export interface FakeModelProvider extends ModelProvider {
  /** Every request, in call order (failed ones too). */
  readonly calls: ModelRequest[];
  /**
   * Answers an InvokeModel request body for a model id with the family's response body (the emulator serves
   * `bedrock:invokeModel` and InvokeModel with it). Throws `ModelError` as Bedrock would fail.
   */
  invokeBody(modelId: string, body: unknown, options?: FakeWireOptions): Promise<Record<string, unknown>>;
  /** Answers an InvokeModelWithResponseStream request body with the family's chunk bodies, in order. */
  encodeStream(modelId: string, body: unknown, options?: FakeWireOptions): AsyncIterable<Record<string, unknown>>;
}

interface Resolved {
  text: string;
  failAfterDeltas: number | undefined;
  firstTokenMs: number;
  tokenMs: number;
  stopReason: StopReason;
}

const STATUS: { [name: string]: number } = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  ServiceQuotaExceededException: 400,
};

/**
 * A scripted failure, as the model's provider names it: `Bedrock.<Name>` for a Bedrock model id; for another
 * provider's model (`openai:...`) the `Provider.*` name of the same HTTP status (a cut stream `Provider.StreamCut`), as
 * that provider's API and the emulator's loopback server answer. A `Provider.*` name is taken as it is.
 */
function bedrockError(name: string, message: string, modelId?: string): ModelError {
  if (name.startsWith('Provider.')) {
    return providerError(message, { error: name as ProviderErrorName });
  }
  const bare = name.startsWith('Bedrock.') ? name.slice('Bedrock.'.length) : name;
  const status = STATUS[bare];
  if (modelId !== undefined && isProviderModel(modelId)) {
    if (bare === 'ModelStreamErrorException') return providerError(message, { error: PROVIDER_ERRORS.streamCut });
    return providerError(message, { status: status ?? 500 });
  }
  const options: { error: string; statusCode?: number } = { error: `Bedrock.${bare}` };
  if (status !== undefined) options.statusCode = status;
  return new ModelError(message, options);
}

function aborted(): AbortedError {
  return new AbortedError('The model call was aborted.');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One fake `doStream` consumption: a text delta per fake token on the reply's schedule (the first after
 * `firstTokenMs`, each next one `tokenMs` after the previous), then the scripted failure or the `finish` part.
 * Tokens are produced on that schedule whether or not the consumer keeps up (the iterator queues them), as a real
 * model streams; one timer, re-armed, and one abort listener per stream. An abort fails the stream at once with
 * `AbortedError`.
 */
class FakeTokenProducer {
  private index = 0;
  private firstTimer: ReturnType<typeof setTimeout> | undefined;
  private tokenTimer: ReturnType<typeof setTimeout> | undefined;
  /** The delta index before which the stream fails, as scripted; -1 when it does not. */
  private readonly failAt: number;

  constructor(
    private readonly sink: PushSink<ModelStreamPart>,
    private readonly reply: Resolved,
    /** The reply's deltas, one per fake token, shared by every stream of the same text. */
    private readonly tokens: readonly ModelStreamPart[],
    private readonly signal: AbortSignal | undefined,
    private readonly finish: () => ModelStreamPart,
    private readonly modelId: string,
  ) {
    this.failAt = reply.failAfterDeltas === undefined ? -1 : Math.min(reply.failAfterDeltas, tokens.length);
  }

  start(): void {
    const { firstTokenMs, tokenMs } = this.reply;
    // Without latency every part is delivered now, before anything else runs: no listener to add and remove.
    if (firstTokenMs <= 0 && tokenMs <= 0) {
      this.tick();
      return;
    }
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (firstTokenMs > 0) this.firstTimer = setTimeout(this.tick, firstTokenMs);
    else this.tick();
  }

  /** Stops producing: clears the timers and the abort listener. */
  readonly release = (): void => {
    if (this.firstTimer !== undefined) clearTimeout(this.firstTimer);
    if (this.tokenTimer !== undefined) clearTimeout(this.tokenTimer);
    this.firstTimer = undefined;
    this.tokenTimer = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
  };

  /** Delivers what is due now: the next delta (then re-arms), or every delta when `tokenMs` is 0, then the end. */
  private readonly tick = (): void => {
    const { sink, tokens, reply } = this;
    while (!sink.closed) {
      const index = this.index;
      if (index === this.failAt) {
        this.release();
        sink.fail(
          bedrockError(
            'ModelStreamErrorException',
            `The model stream failed after ${index} deltas, as scripted.`,
            this.modelId,
          ),
        );
        return;
      }
      if (index === tokens.length) {
        this.release();
        sink.push(this.finish());
        sink.end();
        return;
      }
      this.index = index + 1;
      sink.push(tokens[index]!);
      if (reply.tokenMs > 0 && this.index < tokens.length && this.index !== this.failAt) {
        const timer = this.tokenTimer;
        if (timer !== undefined && typeof timer === 'object' && typeof timer.refresh === 'function') timer.refresh();
        else this.tokenTimer = setTimeout(this.tick, reply.tokenMs);
        return;
      }
    }
  };

  private readonly onAbort = (): void => {
    this.release();
    this.sink.fail(aborted());
  };
}

/**
 * A sink that hands each part to a `forEach` listener at once, for a reply without latency: the whole answer is
 * delivered in one call, without a channel, a promise per part or an abort listener. A listener that throws, or that
 * aborts the call, stops it.
 */
class DirectSink implements PushSink<ModelStreamPart> {
  closed = false;
  failure: { error: unknown } | undefined;

  constructor(
    private readonly listener: (part: ModelStreamPart) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  push(part: ModelStreamPart): void {
    if (this.closed) return;
    try {
      this.listener(part);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.signal?.aborted) this.fail(aborted());
  }

  end(): void {
    this.closed = true;
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = { error };
  }
}

type ResolveReply = (request: ModelRequest, sent: ModelRequest, api: BedrockApi) => Resolved;
type FinishPart = (request: ModelRequest, reply: Resolved) => ModelStreamPart;

/**
 * A fake `doStream` result: nothing happens (and no call is recorded) until it is consumed; each consumption is one
 * model call. Iterated, it queues parts in a push channel; taken by `forEach`, a reply without latency is delivered
 * in the same call stack, and one with latency on its timers.
 */
class FakeStream implements PushIterable<ModelStreamPart> {
  constructor(
    private readonly request: ModelRequest,
    private readonly signal: AbortSignal | undefined,
    private readonly resolveReply: ResolveReply,
    private readonly finishPart: FinishPart,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<ModelStreamPart> {
    return createPushIterable<ModelStreamPart>((sink) => {
      const reply = this.reply(sink);
      return reply === undefined ? undefined : this.produce(sink, reply);
    })[Symbol.asyncIterator]();
  }

  forEach(listener: (part: ModelStreamPart) => void): Promise<void> {
    const direct = new DirectSink(listener, this.signal);
    const reply = this.reply(direct);
    if (reply !== undefined && (reply.firstTokenMs > 0 || reply.tokenMs > 0)) {
      return createPushIterable<ModelStreamPart>((sink) => this.produce(sink, reply)).forEach(listener);
    }
    if (reply !== undefined) this.produce(direct, reply);
    return direct.failure === undefined ? Promise.resolve() : Promise.reject(direct.failure.error);
  }

  /** The call: recorded and answered, or the sink failed (aborted before, refused, throttled). */
  private reply(sink: PushSink<ModelStreamPart>): Resolved | undefined {
    if (this.signal?.aborted) {
      sink.fail(aborted());
      return undefined;
    }
    try {
      return this.resolveReply(this.request, this.request, 'converse');
    } catch (error) {
      sink.fail(error);
      return undefined;
    }
  }

  private produce(sink: PushSink<ModelStreamPart>, reply: Resolved): () => void {
    const { request, finishPart } = this;
    const producer = new FakeTokenProducer(
      sink,
      reply,
      fakeTextDeltas(reply.text),
      this.signal,
      () => finishPart(request, reply),
      request.modelId,
    );
    producer.start();
    return producer.release;
  }
}

/** Whether a model family's InvokeModel body keeps the system prompt apart (Mistral's folds it into the first turn). */
const keepsSystem = new Map<string, boolean>();

function systemKept(modelId: string, adapter: ModelFamilyAdapter): boolean {
  let kept = keepsSystem.get(modelId);
  if (kept === undefined) {
    const probe: ModelRequest = { modelId, system: 's', messages: [{ role: 'user', content: 'u' }] };
    kept = adapter.parseBody(modelId, adapter.buildBody(probe)).system === 's';
    if (keepsSystem.size >= 256) keepsSystem.clear();
    keepsSystem.set(modelId, kept);
  }
  return kept;
}

/**
 * A request as the model family's InvokeModel body carries it: what Bedrock, and the fakes behind the emulator, read
 * (the adapter's `buildBody`, read back with its `parseBody`). Only a request with a prefill (Claude's adapter drops its
 * trailing whitespace) or with a system prompt that the family folds into the first turn (Mistral) can differ; others,
 * and models without an adapter, are sent as they are.
 */
function asSent(request: ModelRequest): ModelRequest {
  const { messages } = request;
  const prefill = messages.length > 0 && messages[messages.length - 1]!.role === 'assistant';
  if (!prefill && request.system === undefined) return request;
  try {
    const adapter = getModelAdapter(request.modelId);
    if (!prefill && systemKept(request.modelId, adapter)) return request;
    const sent = adapter.parseBody(request.modelId, adapter.buildBody(request));
    if (request.stepId !== undefined) sent.stepId = request.stepId;
    return sent;
  } catch {
    return request;
  }
}

function countTokens(request: ModelRequest): number {
  let count = request.system === undefined ? 0 : countFakeTokens(request.system);
  for (const message of request.messages) count += countFakeTokens(message.content);
  return count;
}

/**
 * Fake Bedrock models for tests and the emulator: scripted answers by step id, by a function of the request, from a
 * queue, by model id or a default; answers stream as token-like deltas with settable latencies; scripted throttling,
 * timeouts and mid-stream failures; deterministic token counts (input: the system prompt and messages as the wire
 * carries them, so a Claude prefill without its trailing whitespace; output: the answer's deltas); every call recorded
 * in `calls`. Abort-aware: an aborted call rejects with `AbortedError` at once.
 *
 * Like Bedrock, it refuses malformed requests with `Bedrock.ValidationException` before answering (core's
 * `validateModelRequest`): `doStream` (ConverseStream, what `respond` uses) wants a conversation that starts with a
 * user turn, alternates roles and has no blank text; `doInvoke` (InvokeModel, what `invoke` uses) applies the model
 * family's rules (Claude: user first, alternating, no blank turn but a final prefill).
 *
 * @example
 * ```ts
 * const models = fakeModels({
 *   byStep: { classify: { text: 'true', throttle: 2 }, answer: 'Refunds take 14 days.' },
 *   byModel: { 'us.amazon.nova-lite-v1:0': 'nova says hi' },
 *   respond: (request) => (request.system?.includes('French') ? 'Bonjour' : undefined),
 *   tokenMs: 5,
 * });
 * const runtime = createLocalRuntime({ models });
 * await runtime.run(chain, input);
 * expect(models.calls.map((call) => call.stepId)).toEqual(['classify', 'classify', 'classify', 'answer']);
 * ```
 */
export function fakeModels(options: FakeModelsOptions = {}): FakeModelProvider {
  const calls: ModelRequest[] = [];
  const used = new Map<string, number>();
  let queueAt = 0;
  let throttled = 0;

  /** Counts a call against a reply's scripted throttles; true while it still throttles. */
  const throttles = (key: string, reply: FakeReply): boolean => {
    if (typeof reply === 'string' || !reply.throttle) return false;
    const count = (used.get(key) ?? 0) + 1;
    used.set(key, count);
    return count <= reply.throttle;
  };

  const pick = (request: ModelRequest): { key: string; reply: FakeReply } | undefined => {
    const { stepId } = request;
    if (stepId !== undefined && options.byStep && Object.hasOwn(options.byStep, stepId)) {
      return { key: `step:${stepId}`, reply: options.byStep[stepId]! };
    }
    const answered = options.respond?.(request);
    if (answered !== undefined) return { key: 'respond', reply: answered };
    const queue = options.queue;
    if (queue && queueAt < queue.length) {
      const reply = queue[queueAt]!;
      const key = `queue:${queueAt}`;
      const pending = typeof reply !== 'string' && reply.throttle && (used.get(key) ?? 0) < reply.throttle;
      if (!pending) queueAt++;
      return { key, reply };
    }
    if (options.byModel && Object.hasOwn(options.byModel, request.modelId)) {
      return { key: `model:${request.modelId}`, reply: options.byModel[request.modelId]! };
    }
    if (options.default !== undefined) return { key: 'default', reply: options.default };
    return undefined;
  };

  /**
   * `request` as the runtime made it (recorded in `calls`); `sent` as the wire carries it: checked, answered (the
   * `respond` function, `echo`) and counted, as the same fake behind the emulator does.
   */
  const resolve = (request: ModelRequest, sent: ModelRequest, api: BedrockApi): Resolved => {
    calls.push(request);
    validateModelRequest(sent, api);
    if (options.throttle && throttled < options.throttle) {
      throttled++;
      throw bedrockError('ThrottlingException', 'Too many requests, please wait before trying again.', request.modelId);
    }
    const picked = pick(sent);
    if (!picked) {
      throw bedrockError(
        'ValidationException',
        `fakeModels has no answer for step "${request.stepId ?? '(none)'}" on model "${request.modelId}".`,
        request.modelId,
      );
    }
    const { key, reply } = picked;
    if (throttles(key, reply)) {
      throw bedrockError('ThrottlingException', 'Too many requests, please wait before trying again.', request.modelId);
    }
    const firstTokenMs = options.firstTokenMs ?? 0;
    const tokenMs = options.tokenMs ?? 0;
    if (typeof reply === 'string') {
      return { text: reply, failAfterDeltas: undefined, firstTokenMs, tokenMs, stopReason: 'end_turn' };
    }
    if (reply.fail)
      throw bedrockError(reply.fail, `The fake model failed with ${reply.fail} as scripted.`, request.modelId);
    if (reply.timeout) {
      throw bedrockError('ModelTimeoutException', 'Model has timed out in processing the request.', request.modelId);
    }
    let text = reply.text ?? '';
    if (reply.echo) {
      for (let index = sent.messages.length - 1; index >= 0; index--) {
        const message = sent.messages[index]!;
        if (message.role === 'user') {
          text = message.content;
          break;
        }
      }
    }
    return {
      text,
      failAfterDeltas: reply.failAfterDeltas,
      firstTokenMs: reply.firstTokenMs ?? firstTokenMs,
      tokenMs: reply.tokenMs ?? tokenMs,
      stopReason: reply.stopReason ?? 'end_turn',
    };
  };

  // The answer's count is its cached pieces' (an answer text repeats); the request's text is counted as it comes.
  const usageOf = (request: ModelRequest, text: string): ModelUsage => ({
    inputTokens: countTokens(request),
    outputTokens: fakeTokenCount(text),
  });

  const finishPart = (request: ModelRequest, reply: Resolved): ModelStreamPart => ({
    type: 'finish',
    usage: usageOf(request, reply.text),
    stopReason: reply.stopReason,
  });

  const provider: FakeModelProvider = {
    specificationVersion: 'v1',
    provider: 'fake',
    calls,
    async doInvoke(request: ModelRequest, callOptions: ModelCallOptions = {}): Promise<ModelResponse> {
      const { signal } = callOptions;
      if (signal?.aborted) throw aborted();
      const sent = asSent(request);
      const reply = resolve(request, sent, 'invoke-model');
      if (reply.firstTokenMs > 0) await sleep(reply.firstTokenMs, signal);
      return { text: reply.text, usage: usageOf(sent, reply.text), stopReason: reply.stopReason };
    },
    doStream(request: ModelRequest, callOptions: ModelCallOptions = {}): AsyncIterable<ModelStreamPart> {
      return new FakeStream(request, callOptions.signal, resolve, finishPart);
    },
    async invokeBody(modelId, body, wire = {}) {
      const adapter = getModelAdapter(modelId);
      const request = adapter.parseBody(modelId, body);
      if (wire.stepId !== undefined) request.stepId = wire.stepId;
      const response = await provider.doInvoke(request, wire.signal ? { signal: wire.signal } : {});
      return adapter.writeResponse(response);
    },
    encodeStream(modelId, body, wire = {}) {
      const adapter = getModelAdapter(modelId);
      const request = adapter.parseBody(modelId, body);
      if (wire.stepId !== undefined) request.stepId = wire.stepId;
      return adapter.encodeStream(provider.doStream(request, wire.signal ? { signal: wire.signal } : {}));
    },
  };
  return provider;
}
