import { ModelError } from '../errors/model-error';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, anthropicAdapter } from './adapters/anthropic';
import {
  count,
  isObject,
  type JsonObject,
  omitUndefined,
  optionalNumber,
  optionalStrings,
  toObject,
} from './adapters/wire';
import type { ResultPaths } from './model-family-adapter';
import type { ModelMessage, ModelRequest, ModelResponse, StopReason } from './model-provider';
import { providerError } from './provider-errors';

/**
 * The providers whose HTTP API stepwise speaks itself (the compiled machine's HTTP Task, the emulator's loopback
 * server): OpenAI's Chat Completions, Anthropic's Messages, and an OpenAI-compatible endpoint's Chat Completions.
 *
 * @example
 * ```ts
 * const provider: HttpModelProvider = 'openai';
 * ```
 */
export type HttpModelProvider = 'openai' | 'anthropic' | 'compatible';

/**
 * A request body read back into a request, with the model id the body names.
 *
 * @example
 * ```ts
 * const { model, request }: ParsedProviderBody = getProviderApi('openai').parseBody(body);
 * ```
 */
export interface ParsedProviderBody {
  model: string;
  /** `modelId` is the body's model, without a provider prefix. */
  request: ModelRequest;
}

/**
 * One provider's HTTP API, in both directions: the compiler builds request bodies and reads answers (as JSONPaths into
 * the HTTP Task's result) with it; the emulator's loopback server reads requests and writes answers with it.
 *
 * @example
 * ```ts
 * const api = getProviderApi('openai');
 * const body = api.buildBody({ modelId: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }, 'gpt-4o-mini');
 * // { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }
 * ```
 */
export interface ProviderHttpApi {
  readonly provider: HttpModelProvider;
  /** The request path after the API's base URL: `/chat/completions` or `/messages`. */
  readonly path: string;
  /** The provider's own endpoint (`https://api.openai.com/v1/chat/completions`); none for `compatible`. */
  readonly defaultEndpoint: string | undefined;
  /** Headers the API needs besides the key (which the EventBridge connection or the AI SDK provider adds). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The output limit an `invoke` sends when the step sets none, where the API requires one (Anthropic's Messages API:
   * 1,024, as on Bedrock). Both runtimes send it, so the model sees the same request.
   */
  readonly defaultMaxTokens?: number;
  /** The request body for a model id the provider knows. */
  buildBody(request: ModelRequest, model: string): Record<string, unknown>;
  /** Reads a request body back; throws `Provider.BadRequest` (HTTP 400) for one the API would refuse. */
  parseBody(body: unknown): ParsedProviderBody;
  /** Reads an answer; throws `States.Runtime` for one without the API's shape (Step Functions' ResultSelector fails). */
  readResponse(body: unknown): ModelResponse;
  /** Writes an answer (the emulator's loopback server). */
  writeResponse(response: ModelResponse, model: string): Record<string, unknown>;
  /** JSONPaths of text and token counts in the HTTP Task's result (`{ ResponseBody, StatusCode, ... }`). */
  readonly resultPaths: Required<ResultPaths>;
}

const badRequest = (message: string): ModelError => providerError(message, { status: 400 });

function malformedAnswer(provider: string, message: string): ModelError {
  return new ModelError(`The ${provider} answer has not the API's shape: ${message}`, { error: 'States.Runtime' });
}

function openAiStopReason(value: unknown): StopReason {
  switch (value) {
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'content_filtered';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      return 'end_turn';
  }
}

function openAiFinishReason(reason: StopReason): string {
  switch (reason) {
    case 'max_tokens':
      return 'length';
    case 'content_filtered':
    case 'guardrail_intervened':
      return 'content_filter';
    case 'tool_use':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

/** Text of a Chat Completions message `content`: a string, or text parts. */
function chatText(content: unknown, where: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw badRequest(`${where} must be a string or an array of content parts`);
  let text = '';
  for (const part of content) {
    if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
      throw badRequest(`${where} may only hold text parts ({ type: 'text', text })`);
    }
    text += part.text;
  }
  return text;
}

function chatCompletions(provider: 'openai' | 'compatible'): ProviderHttpApi {
  // OpenAI deprecates `max_tokens` for `max_completion_tokens` (its reasoning models take only the latter);
  // OpenAI-compatible servers know `max_tokens`.
  const maxTokensKey = provider === 'openai' ? 'max_completion_tokens' : 'max_tokens';
  return {
    provider,
    path: '/chat/completions',
    defaultEndpoint: provider === 'openai' ? 'https://api.openai.com/v1/chat/completions' : undefined,
    headers: { 'Content-Type': 'application/json' },
    buildBody(request, model) {
      const messages: JsonObject[] = [];
      if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
      for (const message of request.messages) messages.push({ role: message.role, content: message.content });
      return omitUndefined({
        model,
        messages,
        [maxTokensKey]: request.maxTokens,
        temperature: request.temperature,
        top_p: request.topP,
        stop: request.stopSequences,
      });
    },
    parseBody(raw) {
      const body = toObject(raw, badRequest);
      if (typeof body.model !== 'string' || body.model === '') throw badRequest("'model' is a required property");
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        throw badRequest("'messages' must be a non-empty array");
      }
      const systems: string[] = [];
      const messages: ModelMessage[] = [];
      body.messages.forEach((message, index) => {
        if (!isObject(message)) throw badRequest(`messages[${index}] must be an object`);
        const text = chatText(message.content, `messages[${index}].content`);
        if (message.role === 'system' || message.role === 'developer') systems.push(text);
        else if (message.role === 'user' || message.role === 'assistant')
          messages.push({ role: message.role, content: text });
        else throw badRequest(`messages[${index}].role must be "system", "developer", "user" or "assistant"`);
      });
      const maxTokens =
        optionalNumber(body, 'max_completion_tokens', badRequest) ?? optionalNumber(body, 'max_tokens', badRequest);
      const stop = typeof body.stop === 'string' ? [body.stop] : optionalStrings(body, 'stop', badRequest);
      const request: ModelRequest = omitUndefined({
        modelId: body.model,
        system: systems.length > 0 ? systems.join('\n\n') : undefined,
        messages,
        maxTokens,
        temperature: optionalNumber(body, 'temperature', badRequest),
        topP: optionalNumber(body, 'top_p', badRequest),
        stopSequences: stop,
      }) as ModelRequest;
      return { model: body.model, request };
    },
    readResponse(raw) {
      const fail = (message: string) => malformedAnswer(provider, message);
      const body = toObject(raw, fail);
      const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
      if (!isObject(choice) || !isObject(choice.message)) throw fail('choices[0].message is missing');
      const content = choice.message.content;
      if (typeof content !== 'string') throw fail('choices[0].message.content is not a string');
      const usage = isObject(body.usage) ? body.usage : undefined;
      if (!usage) throw fail('usage is missing');
      return {
        text: content,
        usage: { inputTokens: count(usage.prompt_tokens), outputTokens: count(usage.completion_tokens) },
        stopReason: openAiStopReason(choice.finish_reason),
      };
    },
    writeResponse(response, model) {
      const { inputTokens, outputTokens } = response.usage;
      return {
        id: `chatcmpl-stepwise-${Date.now().toString(36)}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: response.text, refusal: null },
            logprobs: null,
            finish_reason: openAiFinishReason(response.stopReason),
          },
        ],
        usage: {
          prompt_tokens: inputTokens,
          completion_tokens: outputTokens,
          total_tokens: inputTokens + outputTokens,
        },
      };
    },
    resultPaths: {
      text: '$.ResponseBody.choices[0].message.content',
      inputTokens: '$.ResponseBody.usage.prompt_tokens',
      outputTokens: '$.ResponseBody.usage.completion_tokens',
    },
  };
}

/** The Bedrock body's version field, which Anthropic's own API does not take (it wants a header instead). */
const BEDROCK_VERSION = 'bedrock-2023-05-31';

const anthropicMessages: ProviderHttpApi = {
  provider: 'anthropic',
  path: '/messages',
  defaultEndpoint: 'https://api.anthropic.com/v1/messages',
  headers: { 'Content-Type': 'application/json', 'anthropic-version': '2023-06-01' },
  defaultMaxTokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
  buildBody(request, model) {
    // The same Messages body as on Bedrock (the prefill trimmed as Claude wants it), with the model in the body.
    const { anthropic_version: _version, ...rest } = anthropicAdapter.buildBody(request);
    return { model, ...rest };
  },
  parseBody(raw) {
    const body = toObject(raw, badRequest);
    if (typeof body.model !== 'string' || body.model === '') throw badRequest('model: Field required');
    try {
      const request = anthropicAdapter.parseBody(body.model, { ...body, anthropic_version: BEDROCK_VERSION });
      return { model: body.model, request };
    } catch (error) {
      if (ModelError.isInstance(error))
        throw badRequest(error.message.replace(/^Malformed input request for [^:]+: /, ''));
      throw error;
    }
  },
  readResponse(raw) {
    const body = toObject(raw, (message) => malformedAnswer('anthropic', message));
    if (!Array.isArray(body.content)) throw malformedAnswer('anthropic', 'content is not an array');
    return anthropicAdapter.readResponse(body);
  },
  writeResponse(response, model) {
    return { id: `msg_stepwise${Date.now().toString(36)}`, model, ...anthropicAdapter.writeResponse(response) };
  },
  resultPaths: {
    text: '$.ResponseBody.content[0].text',
    inputTokens: '$.ResponseBody.usage.input_tokens',
    outputTokens: '$.ResponseBody.usage.output_tokens',
  },
};

const APIS: Readonly<Record<HttpModelProvider, ProviderHttpApi>> = {
  openai: chatCompletions('openai'),
  compatible: chatCompletions('compatible'),
  anthropic: anthropicMessages,
};

/**
 * The HTTP API of a provider that a model reference names (`openai`, `anthropic`, `compatible`).
 *
 * @example
 * ```ts
 * getProviderApi('anthropic').resultPaths.text; // '$.ResponseBody.content[0].text'
 * ```
 */
export function getProviderApi(provider: HttpModelProvider): ProviderHttpApi {
  return APIS[provider];
}
