import type { ModelRequest, ModelResponse, ModelStreamPart } from './model-provider';

/**
 * The model families stepwise speaks.
 *
 * @example
 * ```ts
 * const family: ModelFamily | undefined = modelFamilyOf('meta.llama3-8b-instruct-v1:0'); // 'meta'
 * ```
 */
export type ModelFamily = 'anthropic' | 'meta' | 'amazon-nova' | 'mistral';

/**
 * Where text and token counts sit in a `bedrock:invokeModel` task result (`{ Body: <parsed response> }`), as JSONPaths.
 *
 * @example
 * ```ts
 * const { text, inputTokens } = getModelAdapter('us.amazon.nova-lite-v1:0').resultPaths;
 * // '$.Body.output.message.content[0].text', '$.Body.usage.inputTokens'
 * ```
 */
export interface ResultPaths {
  text: string;
  /** Absent when the family's body carries no token counts (Mistral). */
  inputTokens?: string;
  outputTokens?: string;
}

/**
 * Knows one model family's InvokeModel wire shape, in both directions: runtimes and the compiler build request
 * bodies and read responses with it; fakes and the emulator read requests and write responses with it.
 *
 * @example
 * ```ts
 * const adapter = getModelAdapter('anthropic.claude-3-haiku-20240307-v1:0');
 * const body = adapter.buildBody({ modelId, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 100 });
 * const { text, usage } = adapter.readResponse(responseBody);
 * ```
 */
export interface ModelFamilyAdapter {
  readonly family: ModelFamily;
  /** Builds the InvokeModel request body. */
  buildBody(request: ModelRequest): Record<string, unknown>;
  /** Reads an InvokeModel request body back into a request (fakes, emulator). */
  parseBody(modelId: string, body: unknown): ModelRequest;
  /** Reads an InvokeModel response body. */
  readResponse(body: unknown): ModelResponse;
  /** Writes an InvokeModel response body (fakes, emulator). */
  writeResponse(response: ModelResponse): Record<string, unknown>;
  /** Writes the InvokeModelWithResponseStream chunk bodies of a streamed answer, in order (emulator). */
  encodeStream(parts: AsyncIterable<ModelStreamPart>): AsyncIterable<Record<string, unknown>>;
  /**
   * Reads one InvokeModelWithResponseStream chunk body (object, JSON string or bytes) into zero or more stream parts,
   * without memory of earlier chunks. Families that spread the stop reason and the usage over several chunks
   * (Anthropic's `message_start`/`message_delta`, Nova's `messageStop`/`metadata`) report what the one chunk
   * holds; use {@link ModelFamilyAdapter.decodeStream} to read a whole stream exactly.
   */
  decodeStreamChunk(chunk: unknown): ModelStreamPart[];
  /**
   * Reads a whole stream of chunk bodies into text deltas and exactly one final `finish`, with exact usage. A stream
   * that ends before the family's final chunk (Anthropic `message_stop`, a Llama or Mistral chunk with a stop reason,
   * Nova `metadata` after `messageStop`), or whose source fails mid-stream, fails with
   * `Bedrock.ModelStreamErrorException` after the deltas it did carry.
   */
  decodeStream(chunks: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterable<ModelStreamPart>;
  /** JSONPaths of text and usage in the task result, for the ASL `ResultSelector`. */
  readonly resultPaths: ResultPaths;
  /**
   * Chat control tokens of a family whose body is one prompt string (Llama 3, Mistral). `buildBody` neutralises them
   * in system and message texts with `neutraliseControlTokens`; the ASL compiler does the same to template text and
   * guards what templates render at run time: an `invoke` whose rendered prompt or system brings one in fails with
   * `States.Runtime`, on runtime-local too.
   */
  readonly controlTokens?: readonly string[];
}
