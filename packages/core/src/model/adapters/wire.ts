import { ModelError } from '../../errors/model-error';
import { guardModelStream } from '../guard-model-stream';
import type { ModelMessage, ModelRequest, ModelStreamPart, ModelUsage, StopReason } from '../model-provider';

/**
 * Helpers the model-family adapters share. Internal to `@stepwise/core`.
 * @internal
 */

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error Bedrock answers a malformed request body with. */
export function invalidRequest(family: string, message: string): ModelError {
  return new ModelError(`Malformed input request for ${family}: ${message}`, {
    error: 'Bedrock.ValidationException',
    statusCode: 400,
  });
}

/** The error for a response body that does not have the family's shape. */
export function invalidResponse(family: string, message: string): ModelError {
  return new ModelError(`Malformed ${family} response: ${message}`, {
    error: 'Bedrock.ModelErrorException',
    statusCode: 424,
  });
}

/** Parses a body given as a JSON string, bytes or an object. */
export function toObject(body: unknown, fail: (message: string) => ModelError): JsonObject {
  let value = body;
  if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw fail('the body is not valid JSON');
    }
  }
  if (!isObject(value)) throw fail('the body must be a JSON object');
  return value;
}

/** Reads an optional finite number field. */
export function optionalNumber(
  body: JsonObject,
  key: string,
  fail: (message: string) => ModelError,
  where = '',
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw fail(`${where}${key} must be a number`);
  return value;
}

/** Reads an optional array-of-strings field. */
export function optionalStrings(
  body: JsonObject,
  key: string,
  fail: (message: string) => ModelError,
  where = '',
): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw fail(`${where}${key} must be an array of strings`);
  }
  return [...value];
}

/** Reads a count that may be missing (0). */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Builds a request, leaving out undefined fields. */
export function makeRequest(fields: {
  modelId: string;
  system?: string | undefined;
  messages: ModelMessage[];
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  topP?: number | undefined;
  stopSequences?: string[] | undefined;
}): ModelRequest {
  return omitUndefined(fields) as unknown as ModelRequest;
}

/** A copy of an object without its undefined fields. */
export function omitUndefined<T extends object>(value: T): T {
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}

/** Checks the roles of a conversation: user first, then alternating. */
export function checkMessages(messages: ModelMessage[], fail: (message: string) => ModelError): void {
  if (messages.length === 0) throw fail('messages must not be empty');
  if (messages[0]?.role !== 'user') throw fail('the first message must have the role "user"');
}

/** Bedrock's per-invocation metrics, as the last chunk of every streamed family carries them. */
export function invocationMetrics(usage: ModelUsage, startedAt: number, firstByteAt: number | undefined): JsonObject {
  const now = Date.now();
  return {
    inputTokenCount: usage.inputTokens,
    outputTokenCount: usage.outputTokens,
    invocationLatency: now - startedAt,
    firstByteLatency: (firstByteAt ?? now) - startedAt,
  };
}

/** The usage in a chunk's `amazon-bedrock-invocationMetrics`, when it has them. */
export function readInvocationMetrics(chunk: JsonObject): ModelUsage | undefined {
  const metrics = chunk['amazon-bedrock-invocationMetrics'];
  if (!isObject(metrics)) return undefined;
  return { inputTokens: count(metrics.inputTokenCount), outputTokens: count(metrics.outputTokenCount) };
}

/** Turns a chunk (object, JSON string or bytes) into an object, or throws a stream error. */
export function chunkObject(family: string, chunk: unknown): JsonObject {
  return toObject(
    chunk,
    (message) =>
      new ModelError(`Malformed ${family} stream chunk: ${message}`, {
        error: 'Bedrock.ModelStreamErrorException',
        statusCode: 424,
      }),
  );
}

/** A stateful decoder of one stream's chunks: it emits the `finish` part when the family's final chunk arrives. */
export interface StreamDecoder {
  push(chunk: unknown): ModelStreamPart[];
}

async function* decodeChunks(
  decoder: StreamDecoder,
  chunks: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<ModelStreamPart> {
  for await (const chunk of chunks) yield* decoder.push(chunk);
}

/**
 * Runs a stateful decoder over a stream of chunks. A stream that ends before the family's final chunk, or whose
 * source fails mid-stream, fails with `Bedrock.ModelStreamErrorException` (see `guardModelStream`).
 */
export function decodeWith(
  decoder: StreamDecoder,
  chunks: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncIterable<ModelStreamPart> {
  return guardModelStream(decodeChunks(decoder, chunks));
}

/**
 * The stop reason of a family that reports `stop` or `length` (Llama 3, Mistral).
 *
 * @example
 * ```ts
 * fromStopOrLength('length'); // 'max_tokens'
 * ```
 */
export function fromStopOrLength(value: unknown): StopReason {
  return value === 'length' ? 'max_tokens' : 'end_turn';
}

/**
 * A stop reason as a family that reports `stop` or `length` (Llama 3, Mistral) writes it.
 *
 * @example
 * ```ts
 * toStopOrLength('max_tokens'); // 'length'
 * ```
 */
export function toStopOrLength(reason: StopReason): 'stop' | 'length' {
  return reason === 'max_tokens' ? 'length' : 'stop';
}
