/**
 * One turn of a conversation sent to a model.
 *
 * @example
 * ```ts
 * const prefill: ModelMessage = { role: 'assistant', content: '{' };
 * ```
 */
export interface ModelMessage {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * A model call in a family-neutral shape. Runtimes build it from an `invoke` or `respond` step; a prefill is the
 * content of a final `assistant` message.
 *
 * @example
 * ```ts
 * const request: ModelRequest = {
 *   modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
 *   system: 'Answer in JSON.',
 *   messages: [{ role: 'user', content: 'List three colours' }, { role: 'assistant', content: '{' }],
 *   maxTokens: 200,
 * };
 * ```
 */
export interface ModelRequest {
  /** The chain's model reference: a Bedrock model id or inference-profile id, or `provider:model` (`openai:gpt-4o-mini`). */
  modelId: string;
  /** The step this call serves, when known (fakes can answer by step id). */
  stepId?: string;
  system?: string;
  messages: ModelMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/**
 * Token counts of one or more model calls.
 *
 * @example
 * ```ts
 * const usage: ModelUsage = { inputTokens: 120, outputTokens: 35 };
 * ```
 */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * Why the model stopped.
 *
 * @example
 * ```ts
 * if (response.stopReason === ('max_tokens' satisfies StopReason)) console.warn('answer truncated');
 * ```
 */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'content_filtered'
  | 'guardrail_intervened'
  | 'tool_use';

/**
 * The answer of a whole (non-streamed) model call. The text does not repeat a prefill.
 *
 * @example
 * ```ts
 * const response: ModelResponse = { text: 'Paris', usage: { inputTokens: 12, outputTokens: 1 }, stopReason: 'end_turn' };
 * ```
 */
export interface ModelResponse {
  text: string;
  usage: ModelUsage;
  stopReason: StopReason;
}

/**
 * One part of a streamed answer: text deltas, then one `finish`.
 *
 * @example
 * ```ts
 * for await (const part of provider.doStream(request)) {
 *   if (part.type === 'text-delta') process.stdout.write(part.delta);
 *   else console.log(part.usage, part.stopReason);
 * }
 * ```
 */
export type ModelStreamPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'finish'; usage: ModelUsage; stopReason: StopReason };

/**
 * Per-call options.
 *
 * @example
 * ```ts
 * await provider.doInvoke(request, { signal: AbortSignal.timeout(5_000) } satisfies ModelCallOptions);
 * ```
 */
export interface ModelCallOptions {
  /** Aborting it stops the call and the stream at once. */
  signal?: AbortSignal;
}

/**
 * The model-provider spec, version 1: what runtimes call to reach a model. Implementations: `fakeModels`,
 * `bedrockModels` and `aiSdkModels` in `@stepwise/runtime-local`. Failures are thrown as `ModelError` with a
 * `Bedrock.*` error name, or for other providers' models a `Provider.*` one (`PROVIDER_ERRORS`).
 *
 * @example
 * ```ts
 * const echo: ModelProvider = {
 *   specificationVersion: 'v1',
 *   provider: 'echo',
 *   async doInvoke(request) {
 *     const text = request.messages.at(-1)?.content ?? '';
 *     return { text, usage: { inputTokens: 1, outputTokens: 1 }, stopReason: 'end_turn' };
 *   },
 *   async *doStream(request, options) {
 *     const { text, usage, stopReason } = await this.doInvoke(request, options);
 *     yield { type: 'text-delta', delta: text };
 *     yield { type: 'finish', usage, stopReason };
 *   },
 * };
 * ```
 */
export interface ModelProvider {
  readonly specificationVersion: 'v1';
  /** A short name for logs: `fake`, `bedrock`. */
  readonly provider: string;
  doInvoke(request: ModelRequest, options?: ModelCallOptions): Promise<ModelResponse>;
  /**
   * Streams the answer: text deltas, then one `finish` part. The result may also be a `PushIterable` (as
   * `fakeModels`' is), which runtime-local consumes by push, without a promise per part.
   */
  doStream(request: ModelRequest, options?: ModelCallOptions): AsyncIterable<ModelStreamPart>;
}
