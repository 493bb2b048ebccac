import type { ModelFamilyAdapter } from '../model-family-adapter';
import type { ModelMessage, ModelRequest, ModelResponse, ModelStreamPart, StopReason } from '../model-provider';
import {
  checkMessages,
  chunkObject,
  count,
  decodeWith,
  invalidRequest,
  invalidResponse,
  invocationMetrics,
  isObject,
  type JsonObject,
  makeRequest,
  omitUndefined,
  optionalNumber,
  optionalStrings,
  readInvocationMetrics,
  type StreamDecoder,
  toObject,
} from './wire';

const FAMILY = 'Anthropic Claude';
const VERSION = 'bedrock-2023-05-31';
/** The `max_tokens` a Claude body carries when the request sets none (the Messages API requires it). @internal */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

const failRequest = (message: string) => invalidRequest(FAMILY, message);
const failResponse = (message: string) => invalidResponse(FAMILY, message);

function toStopReason(value: unknown, body?: JsonObject): StopReason {
  if (body?.['amazon-bedrock-guardrailAction'] === 'INTERVENED') return 'guardrail_intervened';
  switch (value) {
    case 'max_tokens':
      return 'max_tokens';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'tool_use':
      return 'tool_use';
    case 'refusal':
      return 'content_filtered';
    default:
      return 'end_turn';
  }
}

function fromStopReason(reason: StopReason): string {
  switch (reason) {
    case 'content_filtered':
      return 'refusal';
    case 'guardrail_intervened':
      return 'end_turn';
    default:
      return reason;
  }
}

/** Text of an Anthropic `content` field: a string, or text blocks. */
function contentText(content: unknown, where: string, fail: (message: string) => Error): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw fail(`${where} must be a string or an array of content blocks`);
  let text = '';
  for (const block of content) {
    if (!isObject(block) || block.type !== 'text' || typeof block.text !== 'string') {
      throw fail(`${where} may only hold text blocks ({ type: 'text', text })`);
    }
    text += block.text;
  }
  return text;
}

function buildBody(request: ModelRequest): Record<string, unknown> {
  return omitUndefined({
    anthropic_version: VERSION,
    max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    system: request.system,
    messages: request.messages.map((message, index) => ({
      role: message.role,
      // Claude rejects a final assistant turn (a prefill) that ends with whitespace.
      content:
        message.role === 'assistant' && index === request.messages.length - 1
          ? message.content.trimEnd()
          : message.content,
    })),
    temperature: request.temperature,
    top_p: request.topP,
    stop_sequences: request.stopSequences,
  });
}

function parseBody(modelId: string, raw: unknown): ModelRequest {
  const body = toObject(raw, failRequest);
  if (typeof body.anthropic_version !== 'string') throw failRequest('required key [anthropic_version] not found');
  const maxTokens = optionalNumber(body, 'max_tokens', failRequest);
  if (maxTokens === undefined) throw failRequest('required key [max_tokens] not found');
  if (!Array.isArray(body.messages)) throw failRequest('required key [messages] not found or not an array');
  const messages: ModelMessage[] = body.messages.map((message, index) => {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      throw failRequest(`messages[${index}].role must be "user" or "assistant"`);
    }
    return { role: message.role, content: contentText(message.content, `messages[${index}].content`, failRequest) };
  });
  checkMessages(messages, failRequest);
  const system = body.system === undefined ? undefined : contentText(body.system, 'system', failRequest);
  return makeRequest({
    modelId,
    system,
    messages,
    maxTokens,
    temperature: optionalNumber(body, 'temperature', failRequest),
    topP: optionalNumber(body, 'top_p', failRequest),
    stopSequences: optionalStrings(body, 'stop_sequences', failRequest),
  });
}

function readResponse(raw: unknown): ModelResponse {
  const body = toObject(raw, failResponse);
  if (!Array.isArray(body.content)) throw failResponse('content must be an array of content blocks');
  let text = '';
  for (const block of body.content) {
    if (isObject(block) && block.type === 'text' && typeof block.text === 'string') text += block.text;
  }
  const usage = isObject(body.usage) ? body.usage : {};
  return {
    text,
    usage: { inputTokens: count(usage.input_tokens), outputTokens: count(usage.output_tokens) },
    stopReason: toStopReason(body.stop_reason, body),
  };
}

function writeResponse(response: ModelResponse): Record<string, unknown> {
  const body: JsonObject = {
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text: response.text }],
    stop_reason: fromStopReason(response.stopReason),
    stop_sequence: null,
    usage: { input_tokens: response.usage.inputTokens, output_tokens: response.usage.outputTokens },
  };
  if (response.stopReason === 'guardrail_intervened') body['amazon-bedrock-guardrailAction'] = 'INTERVENED';
  return body;
}

async function* encodeStream(parts: AsyncIterable<ModelStreamPart>): AsyncIterable<Record<string, unknown>> {
  const startedAt = Date.now();
  let firstByteAt: number | undefined;
  let started = false;
  const start = function* (): Generator<Record<string, unknown>> {
    if (started) return;
    started = true;
    firstByteAt = Date.now();
    yield {
      type: 'message_start',
      message: {
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    };
    yield { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } };
  };
  const close = function* (finish: Extract<ModelStreamPart, { type: 'finish' }>): Generator<Record<string, unknown>> {
    yield { type: 'content_block_stop', index: 0 };
    yield {
      type: 'message_delta',
      delta: { stop_reason: fromStopReason(finish.stopReason), stop_sequence: null },
      usage: { input_tokens: finish.usage.inputTokens, output_tokens: finish.usage.outputTokens },
    };
    const stop: JsonObject = {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': invocationMetrics(finish.usage, startedAt, firstByteAt),
    };
    if (finish.stopReason === 'guardrail_intervened') stop['amazon-bedrock-guardrailAction'] = 'INTERVENED';
    yield stop;
  };
  for await (const part of parts) {
    yield* start();
    if (part.type === 'text-delta') {
      yield { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part.delta } };
      continue;
    }
    yield* close(part);
    return;
  }
  yield* start();
  yield* close({ type: 'finish', usage: { inputTokens: 0, outputTokens: 0 }, stopReason: 'end_turn' });
}

function textDelta(chunk: JsonObject): ModelStreamPart[] {
  const delta = chunk.delta;
  if (isObject(delta) && typeof delta.text === 'string' && delta.text !== '') {
    return [{ type: 'text-delta', delta: delta.text }];
  }
  return [];
}

function decodeStreamChunk(raw: unknown): ModelStreamPart[] {
  const chunk = chunkObject(FAMILY, raw);
  if (chunk.type === 'content_block_delta') return textDelta(chunk);
  if (chunk.type === 'message_delta') {
    const usage = isObject(chunk.usage) ? chunk.usage : {};
    const delta = isObject(chunk.delta) ? chunk.delta : {};
    return [
      {
        type: 'finish',
        usage: { inputTokens: count(usage.input_tokens), outputTokens: count(usage.output_tokens) },
        stopReason: toStopReason(delta.stop_reason),
      },
    ];
  }
  return [];
}

function createDecoder(): StreamDecoder {
  let inputTokens = 0;
  let outputTokens = 0;
  let stopReason: StopReason = 'end_turn';
  let finished = false;
  const finish = (): ModelStreamPart[] => {
    if (finished) return [];
    finished = true;
    return [{ type: 'finish', usage: { inputTokens, outputTokens }, stopReason }];
  };
  return {
    push(raw) {
      const chunk = chunkObject(FAMILY, raw);
      switch (chunk.type) {
        case 'message_start': {
          const message = isObject(chunk.message) ? chunk.message : {};
          const usage = isObject(message.usage) ? message.usage : {};
          inputTokens = count(usage.input_tokens);
          outputTokens = count(usage.output_tokens);
          return [];
        }
        case 'content_block_delta':
          return textDelta(chunk);
        case 'message_delta': {
          const usage = isObject(chunk.usage) ? chunk.usage : {};
          const delta = isObject(chunk.delta) ? chunk.delta : {};
          if (typeof usage.input_tokens === 'number') inputTokens = usage.input_tokens;
          if (typeof usage.output_tokens === 'number') outputTokens = usage.output_tokens;
          stopReason = toStopReason(delta.stop_reason);
          return [];
        }
        case 'message_stop': {
          const metrics = readInvocationMetrics(chunk);
          if (metrics) ({ inputTokens, outputTokens } = metrics);
          if (chunk['amazon-bedrock-guardrailAction'] === 'INTERVENED') stopReason = 'guardrail_intervened';
          return finish();
        }
        default:
          return [];
      }
    },
  };
}

/**
 * The Anthropic Claude adapter (messages API on Bedrock, `anthropic_version: 'bedrock-2023-05-31'`).
 * A final `assistant` message is a prefill: Claude continues it. Its trailing whitespace is dropped, because Claude
 * rejects a prefill that ends with whitespace.
 *
 * @example
 * ```ts
 * const body = anthropicAdapter.buildBody({
 *   modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
 *   system: 'Answer briefly.',
 *   messages: [{ role: 'user', content: 'Capital of France?' }],
 *   maxTokens: 50,
 * });
 * // { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, system: 'Answer briefly.', messages: [...] }
 * ```
 */
export const anthropicAdapter: ModelFamilyAdapter = {
  family: 'anthropic',
  buildBody,
  parseBody,
  readResponse,
  writeResponse,
  encodeStream,
  decodeStreamChunk,
  decodeStream: (chunks) => decodeWith(createDecoder(), chunks),
  resultPaths: {
    text: '$.Body.content[0].text',
    inputTokens: '$.Body.usage.input_tokens',
    outputTokens: '$.Body.usage.output_tokens',
  },
};
