import { ModelError } from '../errors/model-error';
import { modelFamilyOf } from './get-model-adapter';
import type { ModelFamily } from './model-family-adapter';
import type { ModelMessage, ModelRequest } from './model-provider';
import { isProviderModel, parseModelReference } from './model-reference';
import { providerError } from './provider-errors';
import { stopSequenceLimit } from './stop-sequence-limit';

/**
 * The Bedrock operation a request goes to: `converse` (Converse and ConverseStream, which `respond` uses) or
 * `invoke-model` (InvokeModel with the model family's body, which `invoke` uses).
 *
 * @example
 * ```ts
 * const api: BedrockApi = 'converse';
 * ```
 */
export type BedrockApi = 'converse' | 'invoke-model';

/** Blank: empty, or only JSON whitespace (space, tab, line feed, carriage return). Stops at the first other character. */
function blank(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/** The rules another provider's API applies (`provider:model` references), in its own error name. */
function providerRules(request: ModelRequest): void {
  const { provider } = parseModelReference(request.modelId);
  const { messages } = request;
  if (provider === 'anthropic') {
    try {
      anthropic(messages);
    } catch (error) {
      throw providerError((error as Error).message, { status: 400 });
    }
    return;
  }
  // Chat Completions: at least one message; roles and blank texts are the model's business.
  if (messages.length === 0) throw providerError("[] is too short - 'messages'", { status: 400 });
}

/** Families by model id (`null`: none): fakes check every call, and a model id's family never changes. */
const families = new Map<string, ModelFamily | null>();
const FAMILY_CACHE_LIMIT = 256;

function familyOf(modelId: string): ModelFamily | null {
  let family = families.get(modelId);
  if (family === undefined) {
    family = modelFamilyOf(modelId) ?? null;
    if (families.size >= FAMILY_CACHE_LIMIT) families.clear();
    families.set(modelId, family);
  }
  return family;
}

function invalid(message: string): ModelError {
  return new ModelError(message, { error: 'Bedrock.ValidationException', statusCode: 400 });
}

/** Converse's rules (also Amazon Nova's messages): user first, alternating roles, no blank text. */
function converse(messages: readonly ModelMessage[]): void {
  if (messages.length === 0 || messages[0]!.role !== 'user') {
    throw invalid(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  for (let index = 1; index < messages.length; index++) {
    if (messages[index]!.role === messages[index - 1]!.role) {
      throw invalid(
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
  }
  for (let index = 0; index < messages.length; index++) {
    if (blank(messages[index]!.content)) {
      throw invalid(
        `The text field in the ContentBlock object at messages.${index}.content.0 is blank. Add text to the text field, and try again.`,
      );
    }
  }
}

/** Anthropic's Messages API: user first, alternating roles, no blank turn but a final assistant one (a prefill). */
function anthropic(messages: readonly ModelMessage[]): void {
  if (messages.length === 0) throw invalid('messages: at least one message is required');
  if (messages[0]!.role !== 'user') throw invalid('messages: first message must use the "user" role');
  for (let index = 1; index < messages.length; index++) {
    const role = messages[index]!.role;
    if (role === messages[index - 1]!.role) {
      throw invalid(
        `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`,
      );
    }
  }
  const last = messages.length - 1;
  for (let index = 0; index < messages.length; index++) {
    const { role, content } = messages[index]!;
    if (index === last && role === 'assistant') continue;
    if (content === '') {
      throw invalid(
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
    if (blank(content)) throw invalid('messages: text content blocks must contain non-whitespace text');
  }
}

/** Bedrock's limit on the number of stop sequences (`stopSequenceLimit`), as its validation error says it. */
function stopSequences(request: ModelRequest, api: BedrockApi): void {
  const count = request.stopSequences?.length ?? 0;
  const limit = count === 0 ? undefined : stopSequenceLimit(request.modelId, api);
  if (limit !== undefined && count > limit.max) {
    throw invalid(`${limit.field} holds at most ${limit.max} sequences`);
  }
}

/** Prompt-string families (Llama 3, Mistral): a prompt holds any turns; the adapters read back user-first turns. */
function prompt(family: string, messages: readonly ModelMessage[]): void {
  if (messages.length === 0) throw invalid(`Malformed input request for ${family}: messages must not be empty`);
  if (messages[0]!.role !== 'user') {
    throw invalid(`Malformed input request for ${family}: the first message must have the role "user"`);
  }
}

/**
 * Checks a model request against Bedrock's request rules for the operation it goes to, and throws the
 * `Bedrock.ValidationException` (a {@link ModelError}, HTTP 400) with a message like Bedrock's when it breaks one:
 * - `converse`: the conversation starts with a `user` turn, roles alternate, and no text is blank (empty or only
 *   whitespace), a final `assistant` turn included;
 * - `invoke-model`, by model family: Anthropic Claude as its Messages API (user first, alternating, no blank turn but
 *   a final `assistant` prefill); Amazon Nova as Converse; Meta Llama 3 and Mistral, whose body is one prompt string,
 *   at least one turn, the first a `user` one (what their adapters read back); any other model the same;
 * - the number of stop sequences, as `stopSequenceLimit` gives it (Converse: at most 4; Claude's InvokeModel body:
 *   at most 8,191), so a request over it fails here as it fails on Bedrock, not only behind the emulator.
 *
 * A model of another provider (`openai:...`, `compatible:...`, `anthropic:...`) is held to that provider's API, for
 * either operation, and refused with `Provider.BadRequest` (HTTP 400): Chat Completions wants at least one message;
 * Anthropic's Messages API has Claude's rules above.
 *
 * Fakes call it so that they refuse what Bedrock refuses (`fakeModels` on runtime-local and behind the emulator).
 * It reads the messages as the adapter sends them: pass a request whose prefill is already trimmed as the family's
 * `buildBody` trims it.
 *
 * @example
 * ```ts
 * validateModelRequest({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [] }, 'converse');
 * // throws ModelError { error: 'Bedrock.ValidationException', message: 'A conversation must start with a user message. ...' }
 * ```
 */
export function validateModelRequest(request: ModelRequest, api: BedrockApi): void {
  if (isProviderModel(request.modelId)) {
    providerRules(request);
    return;
  }
  const { messages } = request;
  stopSequences(request, api);
  if (api === 'converse') {
    converse(messages);
    return;
  }
  const family = familyOf(request.modelId);
  if (family === 'anthropic') anthropic(messages);
  else if (family === 'amazon-nova') converse(messages);
  else if (family === 'meta') prompt('Meta Llama 3', messages);
  else if (family === 'mistral') prompt('Mistral', messages);
  else prompt(request.modelId, messages);
}
