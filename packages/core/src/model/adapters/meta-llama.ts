import type { ModelFamilyAdapter } from '../model-family-adapter';
import type { ModelMessage, ModelRequest, ModelResponse, ModelStreamPart } from '../model-provider';
import { LLAMA_CONTROL_TOKENS, neutraliseControlTokens } from './control-tokens';
import {
  checkMessages,
  chunkObject,
  count,
  decodeWith,
  fromStopOrLength,
  invalidRequest,
  invalidResponse,
  invocationMetrics,
  makeRequest,
  omitUndefined,
  optionalNumber,
  readInvocationMetrics,
  type StreamDecoder,
  toObject,
  toStopOrLength,
} from './wire';

const FAMILY = 'Meta Llama 3';
const BEGIN = '<|begin_of_text|>';
const EOT = '<|eot_id|>';
const header = (role: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n`;
const TURN = /<\|start_header_id\|>(system|user|assistant)<\|end_header_id\|>\n\n([\s\S]*?)(<\|eot_id\|>|$)/y;

const failRequest = (message: string) => invalidRequest(FAMILY, message);
const failResponse = (message: string) => invalidResponse(FAMILY, message);

/** Text placed inside the prompt, its control tokens neutralised: only the adapter writes turn boundaries. */
const safe = (text: string) => neutraliseControlTokens(text, LLAMA_CONTROL_TOKENS);

/** The Llama 3 chat prompt: every turn, then the assistant header, then the prefill if any. */
function buildPrompt(system: string | undefined, messages: ModelMessage[]): string {
  let prompt = BEGIN;
  if (system !== undefined) prompt += `${header('system')}${safe(system)}${EOT}`;
  const last = messages.at(-1);
  const prefill = last?.role === 'assistant' ? last.content : undefined;
  const turns = prefill === undefined ? messages : messages.slice(0, -1);
  for (const message of turns) prompt += `${header(message.role)}${safe(message.content)}${EOT}`;
  return `${prompt}${header('assistant')}${safe(prefill ?? '')}`;
}

/** Reads a Llama 3 chat prompt back; a prompt without chat tokens is one user message. */
function parsePrompt(prompt: string): { system?: string; messages: ModelMessage[] } {
  const rest = prompt.startsWith(BEGIN) ? prompt.slice(BEGIN.length) : prompt;
  if (!rest.startsWith('<|start_header_id|>')) return { messages: [{ role: 'user', content: prompt }] };
  let system: string | undefined;
  const messages: ModelMessage[] = [];
  let position = 0;
  while (position < rest.length) {
    TURN.lastIndex = position;
    const match = TURN.exec(rest);
    if (!match)
      throw failRequest(`prompt is not in the Llama 3 chat format near "${rest.slice(position, position + 40)}"`);
    const [whole, role, content = '', end] = match;
    position += whole.length;
    if (role === 'system') {
      if (messages.length > 0 || system !== undefined) throw failRequest('the system turn must come first');
      system = content;
    } else if (end === EOT || content !== '') {
      messages.push({ role: role as 'user' | 'assistant', content });
    } else if (role !== 'assistant') {
      throw failRequest('the prompt must end with the assistant header');
    }
    if (end !== EOT) {
      if (role !== 'assistant') throw failRequest(`the ${role} turn is not closed with ${EOT}`);
      break;
    }
    if (position === rest.length) throw failRequest('the prompt must end with the assistant header');
  }
  return system === undefined ? { messages } : { system, messages };
}

function buildBody(request: ModelRequest): Record<string, unknown> {
  return omitUndefined({
    prompt: buildPrompt(request.system, request.messages),
    max_gen_len: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
  });
}

function parseBody(modelId: string, raw: unknown): ModelRequest {
  const body = toObject(raw, failRequest);
  if (typeof body.prompt !== 'string') throw failRequest('required key [prompt] not found or not a string');
  const { system, messages } = parsePrompt(body.prompt);
  checkMessages(messages, failRequest);
  return makeRequest({
    modelId,
    system,
    messages,
    maxTokens: optionalNumber(body, 'max_gen_len', failRequest),
    temperature: optionalNumber(body, 'temperature', failRequest),
    topP: optionalNumber(body, 'top_p', failRequest),
  });
}

function readResponse(raw: unknown): ModelResponse {
  const body = toObject(raw, failResponse);
  if (typeof body.generation !== 'string') throw failResponse('generation must be a string');
  return {
    text: body.generation,
    usage: { inputTokens: count(body.prompt_token_count), outputTokens: count(body.generation_token_count) },
    stopReason: fromStopOrLength(body.stop_reason),
  };
}

function writeResponse(response: ModelResponse): Record<string, unknown> {
  return {
    generation: response.text,
    prompt_token_count: response.usage.inputTokens,
    generation_token_count: response.usage.outputTokens,
    stop_reason: toStopOrLength(response.stopReason),
  };
}

async function* encodeStream(parts: AsyncIterable<ModelStreamPart>): AsyncIterable<Record<string, unknown>> {
  const startedAt = Date.now();
  let firstByteAt: number | undefined;
  let deltas = 0;
  const last = (finish: Extract<ModelStreamPart, { type: 'finish' }>) => ({
    generation: '',
    prompt_token_count: finish.usage.inputTokens,
    generation_token_count: finish.usage.outputTokens,
    stop_reason: toStopOrLength(finish.stopReason),
    'amazon-bedrock-invocationMetrics': invocationMetrics(finish.usage, startedAt, firstByteAt),
  });
  for await (const part of parts) {
    firstByteAt ??= Date.now();
    if (part.type === 'finish') {
      yield last(part);
      return;
    }
    deltas += 1;
    yield { generation: part.delta, prompt_token_count: null, generation_token_count: deltas, stop_reason: null };
  }
  yield last({ type: 'finish', usage: { inputTokens: 0, outputTokens: 0 }, stopReason: 'end_turn' });
}

function decodeStreamChunk(raw: unknown): ModelStreamPart[] {
  const chunk = chunkObject(FAMILY, raw);
  const parts: ModelStreamPart[] = [];
  if (typeof chunk.generation === 'string' && chunk.generation !== '') {
    parts.push({ type: 'text-delta', delta: chunk.generation });
  }
  if (chunk.stop_reason !== null && chunk.stop_reason !== undefined) {
    parts.push({
      type: 'finish',
      usage: readInvocationMetrics(chunk) ?? {
        inputTokens: count(chunk.prompt_token_count),
        outputTokens: count(chunk.generation_token_count),
      },
      stopReason: fromStopOrLength(chunk.stop_reason),
    });
  }
  return parts;
}

function createDecoder(): StreamDecoder {
  let inputTokens = 0;
  let outputTokens = 0;
  let finished = false;
  return {
    push(raw) {
      if (finished) return [];
      const parts = decodeStreamChunk(raw);
      const chunk = chunkObject(FAMILY, raw);
      if (typeof chunk.prompt_token_count === 'number') inputTokens = chunk.prompt_token_count;
      if (typeof chunk.generation_token_count === 'number') outputTokens = chunk.generation_token_count;
      return parts.map((part) => {
        if (part.type !== 'finish') return part;
        finished = true;
        return readInvocationMetrics(chunk) ? part : { ...part, usage: { inputTokens, outputTokens } };
      });
    },
  };
}

/**
 * The Meta Llama 3 adapter (`meta.llama3*`): a Llama 3 chat prompt, `max_gen_len`, `temperature`, `top_p`.
 * A final `assistant` message is written after the assistant header, so the model continues it (a prefill).
 * Llama on Bedrock takes no stop sequences: `stopSequences` is not sent. Chat control tokens (`<|...|>`) in the system
 * and message texts are neutralised (`neutraliseControlTokens`), so text cannot open a turn of its own.
 *
 * @example
 * ```ts
 * metaLlamaAdapter.buildBody({ modelId: 'meta.llama3-8b-instruct-v1:0', messages: [{ role: 'user', content: 'Hi' }] });
 * // { prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n' }
 * ```
 */
export const metaLlamaAdapter: ModelFamilyAdapter = {
  family: 'meta',
  buildBody,
  parseBody,
  readResponse,
  writeResponse,
  encodeStream,
  decodeStreamChunk,
  decodeStream: (chunks) => decodeWith(createDecoder(), chunks),
  controlTokens: LLAMA_CONTROL_TOKENS,
  resultPaths: {
    text: '$.Body.generation',
    inputTokens: '$.Body.prompt_token_count',
    outputTokens: '$.Body.generation_token_count',
  },
};
