import type { ModelFamilyAdapter } from '../model-family-adapter';
import type {
  ModelMessage,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
  ModelUsage,
  StopReason,
} from '../model-provider';
import { stopReasonOf } from '../stop-reason-of';
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

const FAMILY = 'Amazon Nova';

const failRequest = (message: string) => invalidRequest(FAMILY, message);
const failResponse = (message: string) => invalidResponse(FAMILY, message);

/** Text of a Nova content list `[{ text }]`. */
function contentText(content: unknown, where: string, fail: (message: string) => Error): string {
  if (!Array.isArray(content)) throw fail(`${where} must be an array of content blocks ([{ text }])`);
  let text = '';
  for (const block of content) {
    if (!isObject(block) || typeof block.text !== 'string') throw fail(`${where} may only hold text blocks ({ text })`);
    text += block.text;
  }
  return text;
}

function buildBody(request: ModelRequest): Record<string, unknown> {
  const inferenceConfig = omitUndefined({
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    topP: request.topP,
    stopSequences: request.stopSequences,
  });
  return omitUndefined({
    system: request.system === undefined ? undefined : [{ text: request.system }],
    messages: request.messages.map((message) => ({ role: message.role, content: [{ text: message.content }] })),
    inferenceConfig: Object.keys(inferenceConfig).length > 0 ? inferenceConfig : undefined,
  });
}

function parseBody(modelId: string, raw: unknown): ModelRequest {
  const body = toObject(raw, failRequest);
  if (!Array.isArray(body.messages)) throw failRequest('required key [messages] not found or not an array');
  const messages: ModelMessage[] = body.messages.map((message, index) => {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      throw failRequest(`messages[${index}].role must be "user" or "assistant"`);
    }
    return { role: message.role, content: contentText(message.content, `messages[${index}].content`, failRequest) };
  });
  checkMessages(messages, failRequest);
  const system = body.system === undefined ? undefined : contentText(body.system, 'system', failRequest);
  if (body.inferenceConfig !== undefined && !isObject(body.inferenceConfig)) {
    throw failRequest('inferenceConfig must be an object');
  }
  const config: JsonObject = body.inferenceConfig ?? {};
  const where = 'inferenceConfig.';
  return makeRequest({
    modelId,
    system,
    messages,
    maxTokens:
      optionalNumber(config, 'maxTokens', failRequest, where) ??
      optionalNumber(config, 'max_new_tokens', failRequest, where),
    temperature: optionalNumber(config, 'temperature', failRequest, where),
    topP: optionalNumber(config, 'topP', failRequest, where) ?? optionalNumber(config, 'top_p', failRequest, where),
    stopSequences: optionalStrings(config, 'stopSequences', failRequest, where),
  });
}

function readResponse(raw: unknown): ModelResponse {
  const body = toObject(raw, failResponse);
  const output = isObject(body.output) ? body.output : undefined;
  const message = output && isObject(output.message) ? output.message : undefined;
  if (!message) throw failResponse('output.message is missing');
  const usage = isObject(body.usage) ? body.usage : {};
  return {
    text: contentText(message.content, 'output.message.content', failResponse),
    usage: { inputTokens: count(usage.inputTokens), outputTokens: count(usage.outputTokens) },
    stopReason: stopReasonOf(body.stopReason),
  };
}

function writeResponse(response: ModelResponse): Record<string, unknown> {
  const { inputTokens, outputTokens } = response.usage;
  return {
    output: { message: { role: 'assistant', content: [{ text: response.text }] } },
    stopReason: response.stopReason,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
  };
}

async function* encodeStream(parts: AsyncIterable<ModelStreamPart>): AsyncIterable<Record<string, unknown>> {
  const startedAt = Date.now();
  let firstByteAt: number | undefined;
  let started = false;
  const close = function* (finish: Extract<ModelStreamPart, { type: 'finish' }>): Generator<Record<string, unknown>> {
    const { inputTokens, outputTokens } = finish.usage;
    yield { contentBlockStop: { contentBlockIndex: 0 } };
    yield { messageStop: { stopReason: finish.stopReason } };
    yield {
      metadata: {
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
        metrics: {},
        trace: {},
      },
      'amazon-bedrock-invocationMetrics': invocationMetrics(finish.usage, startedAt, firstByteAt),
    };
  };
  for await (const part of parts) {
    if (!started) {
      started = true;
      firstByteAt = Date.now();
      yield { messageStart: { role: 'assistant' } };
    }
    if (part.type === 'finish') {
      yield* close(part);
      return;
    }
    yield { contentBlockDelta: { delta: { text: part.delta }, contentBlockIndex: 0 } };
  }
  if (!started) yield { messageStart: { role: 'assistant' } };
  yield* close({ type: 'finish', usage: { inputTokens: 0, outputTokens: 0 }, stopReason: 'end_turn' });
}

function textDelta(chunk: JsonObject): ModelStreamPart[] {
  const block = chunk.contentBlockDelta;
  const delta = isObject(block) && isObject(block.delta) ? block.delta : undefined;
  return delta && typeof delta.text === 'string' && delta.text !== ''
    ? [{ type: 'text-delta', delta: delta.text }]
    : [];
}

function metadataUsage(chunk: JsonObject): { inputTokens: number; outputTokens: number } | undefined {
  if (!isObject(chunk.metadata)) return undefined;
  const usage = isObject(chunk.metadata.usage) ? chunk.metadata.usage : undefined;
  if (usage) return { inputTokens: count(usage.inputTokens), outputTokens: count(usage.outputTokens) };
  return readInvocationMetrics(chunk) ?? { inputTokens: 0, outputTokens: 0 };
}

function decodeStreamChunk(raw: unknown): ModelStreamPart[] {
  const chunk = chunkObject(FAMILY, raw);
  if ('contentBlockDelta' in chunk) return textDelta(chunk);
  const usage = metadataUsage(chunk);
  return usage ? [{ type: 'finish', usage, stopReason: 'end_turn' }] : [];
}

function createDecoder(): StreamDecoder {
  let stopReason: StopReason = 'end_turn';
  let finished = false;
  const finish = (usage: ModelUsage): ModelStreamPart[] => {
    if (finished) return [];
    finished = true;
    return [{ type: 'finish', usage, stopReason }];
  };
  return {
    push(raw) {
      const chunk = chunkObject(FAMILY, raw);
      if ('contentBlockDelta' in chunk) return textDelta(chunk);
      if (isObject(chunk.messageStop)) stopReason = stopReasonOf(chunk.messageStop.stopReason);
      const usage = metadataUsage(chunk);
      return usage ? finish(usage) : [];
    },
  };
}

/**
 * The Amazon Nova adapter (`amazon.nova*`, messages-v1 schema): `messages` of `[{ text }]` content, `system`,
 * `inferenceConfig`. A final `assistant` message is a prefill.
 *
 * @example
 * ```ts
 * novaAdapter.buildBody({ modelId: 'us.amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'Hi' }], maxTokens: 64 });
 * // { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 64 } }
 * ```
 */
export const novaAdapter: ModelFamilyAdapter = {
  family: 'amazon-nova',
  buildBody,
  parseBody,
  readResponse,
  writeResponse,
  encodeStream,
  decodeStreamChunk,
  decodeStream: (chunks) => decodeWith(createDecoder(), chunks),
  resultPaths: {
    text: '$.Body.output.message.content[0].text',
    inputTokens: '$.Body.usage.inputTokens',
    outputTokens: '$.Body.usage.outputTokens',
  },
};
