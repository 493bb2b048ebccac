import type { ModelFamilyAdapter } from '../model-family-adapter';
import type { ModelMessage, ModelRequest, ModelResponse, ModelStreamPart } from '../model-provider';
import { MISTRAL_CONTROL_TOKENS, neutraliseControlTokens } from './control-tokens';
import {
  checkMessages,
  chunkObject,
  decodeWith,
  fromStopOrLength,
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
  toStopOrLength,
} from './wire';

const FAMILY = 'Mistral';
const TOKEN = /\[INST\]|\[\/INST\]|<\/s>|<s>/g;

const failRequest = (message: string) => invalidRequest(FAMILY, message);
const failResponse = (message: string) => invalidResponse(FAMILY, message);

/**
 * The Mistral instruction prompt: `<s>[INST] user [/INST] answer</s>[INST] user [/INST]`, with the system prompt
 * in front of the first user turn and a prefill after the last `[/INST]`.
 */
function buildPrompt(system: string | undefined, messages: ModelMessage[]): string {
  let prompt = '<s>';
  let first = true;
  messages.forEach((message, index) => {
    const text = safe(message.content);
    if (message.role === 'user') {
      const content = first && system !== undefined ? `${safe(system)}\n\n${text}` : text;
      first = false;
      prompt += `[INST] ${content} [/INST]`;
    } else if (index === messages.length - 1) {
      if (text !== '') prompt += ` ${text}`;
    } else {
      prompt += ` ${text}</s>`;
    }
  });
  return prompt;
}

/** Text placed inside the prompt, its control tokens neutralised: only the adapter writes turn boundaries. */
function safe(text: string): string {
  return neutraliseControlTokens(text, MISTRAL_CONTROL_TOKENS);
}

const unpad = (text: string) => text.replace(/^ /, '').replace(/ $/, '');

/** Reads a Mistral prompt back. The system prompt cannot be told from the first user turn: it stays in it. */
function parsePrompt(prompt: string): ModelMessage[] {
  if (!prompt.includes('[INST]')) return [{ role: 'user', content: prompt }];
  const messages: ModelMessage[] = [];
  const pieces: Array<{ token: string; text: string }> = [];
  let last = 0;
  let token = '';
  for (const match of prompt.matchAll(TOKEN)) {
    pieces.push({ token, text: prompt.slice(last, match.index) });
    token = match[0];
    last = match.index + match[0].length;
  }
  pieces.push({ token, text: prompt.slice(last) });
  for (const [index, piece] of pieces.entries()) {
    const next = pieces[index + 1]?.token;
    if (piece.token === '[INST]') {
      if (next !== '[/INST]') throw failRequest('every [INST] must be closed by [/INST]');
      messages.push({ role: 'user', content: unpad(piece.text) });
    } else if (piece.token === '[/INST]') {
      const content = piece.text.replace(/^ /, '');
      if (next === '</s>' || (next === undefined && content !== '')) messages.push({ role: 'assistant', content });
      else if (next !== '[INST]' && next !== undefined) throw failRequest(`unexpected ${next} after [/INST]`);
      else if (content.trim() !== '') throw failRequest('an answer after [/INST] must end with </s>');
    } else if (piece.text.trim() !== '') {
      throw failRequest(`text outside [INST] ... [/INST]: "${piece.text.slice(0, 40)}"`);
    }
  }
  return messages;
}

function buildBody(request: ModelRequest): Record<string, unknown> {
  return omitUndefined({
    prompt: buildPrompt(request.system, request.messages),
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    stop: request.stopSequences,
  });
}

function parseBody(modelId: string, raw: unknown): ModelRequest {
  const body = toObject(raw, failRequest);
  if (typeof body.prompt !== 'string') throw failRequest('required key [prompt] not found or not a string');
  const messages = parsePrompt(body.prompt);
  checkMessages(messages, failRequest);
  return makeRequest({
    modelId,
    messages,
    maxTokens: optionalNumber(body, 'max_tokens', failRequest),
    temperature: optionalNumber(body, 'temperature', failRequest),
    topP: optionalNumber(body, 'top_p', failRequest),
    stopSequences: optionalStrings(body, 'stop', failRequest),
  });
}

function firstOutput(body: JsonObject, fail: (message: string) => Error): JsonObject {
  const output = Array.isArray(body.outputs) ? body.outputs[0] : undefined;
  if (!isObject(output) || typeof output.text !== 'string') throw fail('outputs[0].text is missing');
  return output;
}

function readResponse(raw: unknown): ModelResponse {
  const body = toObject(raw, failResponse);
  const output = firstOutput(body, failResponse);
  return {
    text: output.text as string,
    usage: readInvocationMetrics(body) ?? { inputTokens: 0, outputTokens: 0 },
    stopReason: fromStopOrLength(output.stop_reason),
  };
}

function writeResponse(response: ModelResponse): Record<string, unknown> {
  return { outputs: [{ text: response.text, stop_reason: toStopOrLength(response.stopReason) }] };
}

async function* encodeStream(parts: AsyncIterable<ModelStreamPart>): AsyncIterable<Record<string, unknown>> {
  const startedAt = Date.now();
  let firstByteAt: number | undefined;
  const last = (finish: Extract<ModelStreamPart, { type: 'finish' }>) => ({
    outputs: [{ text: '', stop_reason: toStopOrLength(finish.stopReason) }],
    'amazon-bedrock-invocationMetrics': invocationMetrics(finish.usage, startedAt, firstByteAt),
  });
  for await (const part of parts) {
    firstByteAt ??= Date.now();
    if (part.type === 'finish') {
      yield last(part);
      return;
    }
    yield { outputs: [{ text: part.delta, stop_reason: null }] };
  }
  yield last({ type: 'finish', usage: { inputTokens: 0, outputTokens: 0 }, stopReason: 'end_turn' });
}

function decodeStreamChunk(raw: unknown): ModelStreamPart[] {
  const chunk = chunkObject(FAMILY, raw);
  const output = Array.isArray(chunk.outputs) && isObject(chunk.outputs[0]) ? chunk.outputs[0] : {};
  const parts: ModelStreamPart[] = [];
  if (typeof output.text === 'string' && output.text !== '') parts.push({ type: 'text-delta', delta: output.text });
  if (output.stop_reason !== null && output.stop_reason !== undefined) {
    parts.push({
      type: 'finish',
      usage: readInvocationMetrics(chunk) ?? { inputTokens: 0, outputTokens: 0 },
      stopReason: fromStopOrLength(output.stop_reason),
    });
  }
  return parts;
}

function createDecoder(): StreamDecoder {
  let finished = false;
  return {
    push(raw) {
      if (finished) return [];
      const parts = decodeStreamChunk(raw);
      finished = parts.some((part) => part.type === 'finish');
      return parts;
    },
  };
}

/**
 * The Mistral adapter (`mistral.*`): an `<s>[INST] ... [/INST]` prompt, `max_tokens`, `temperature`, `top_p`, `stop`.
 * The system prompt goes in front of the first user turn (Mistral has no system role), so `parseBody` returns it as
 * part of that turn. InvokeModel answers carry no token counts: usage reads 0/0 (streams report it in their last chunk).
 * Chat control tokens (`[INST]`, `</s>`, ...) in the system and message texts are neutralised
 * (`neutraliseControlTokens`), so text cannot open a turn of its own.
 *
 * @example
 * ```ts
 * mistralAdapter.buildBody({ modelId: 'mistral.mistral-large-2402-v1:0', messages: [{ role: 'user', content: 'Hi' }] });
 * // { prompt: '<s>[INST] Hi [/INST]' }
 * ```
 */
export const mistralAdapter: ModelFamilyAdapter = {
  family: 'mistral',
  buildBody,
  parseBody,
  readResponse,
  writeResponse,
  encodeStream,
  decodeStreamChunk,
  decodeStream: (chunks) => decodeWith(createDecoder(), chunks),
  controlTokens: MISTRAL_CONTROL_TOKENS,
  resultPaths: { text: '$.Body.outputs[0].text' },
};
