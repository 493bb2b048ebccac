import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error';
import type { ModelMessage } from './model-provider';
import { type BedrockApi, validateModelRequest } from './validate-model-request';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const MISTRAL = 'mistral.mistral-large-2402-v1:0';

const user = (content: string): ModelMessage => ({ role: 'user', content });
const assistant = (content: string): ModelMessage => ({ role: 'assistant', content });

function problem(modelId: string, messages: ModelMessage[], api: BedrockApi): string | undefined {
  try {
    validateModelRequest({ modelId, messages }, api);
    return undefined;
  } catch (error) {
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'Bedrock.ValidationException', statusCode: 400, retryable: false });
    return (error as Error).message;
  }
}

describe('validateModelRequest', () => {
  it('Converse: user first, alternating roles, no blank text anywhere (Bedrock’s own messages)', () => {
    expect(problem(HAIKU, [user('Hi'), assistant('Hello'), user('Bye')], 'converse')).toBeUndefined();
    expect(problem(HAIKU, [user('Hi'), assistant('{')], 'converse')).toBeUndefined();
    expect(problem(HAIKU, [], 'converse')).toBe(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
    expect(problem(LLAMA, [assistant('Hi'), user('x')], 'converse')).toMatch(/must start with a user message/);
    expect(problem(MISTRAL, [user('a'), user('b')], 'converse')).toBe(
      'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
    );
    expect(problem(HAIKU, [user('a'), assistant('')], 'converse')).toBe(
      'The text field in the ContentBlock object at messages.1.content.0 is blank. Add text to the text field, and try again.',
    );
    expect(problem(HAIKU, [user('\t\n ')], 'converse')).toMatch(/messages\.0\.content\.0 is blank/);
  });

  it('InvokeModel, Claude: as its Messages API, a final assistant prefill may be empty', () => {
    expect(problem(HAIKU, [user('Hi'), assistant('')], 'invoke-model')).toBeUndefined();
    expect(problem(HAIKU, [], 'invoke-model')).toBe('messages: at least one message is required');
    expect(problem(HAIKU, [assistant('x')], 'invoke-model')).toBe('messages: first message must use the "user" role');
    expect(problem(HAIKU, [user('a'), user('b')], 'invoke-model')).toBe(
      'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
    );
    expect(problem(HAIKU, [user('')], 'invoke-model')).toBe(
      'messages.0: all messages must have non-empty content except for the optional final assistant message',
    );
    expect(problem(HAIKU, [user(' ')], 'invoke-model')).toBe(
      'messages: text content blocks must contain non-whitespace text',
    );
  });

  it('InvokeModel, Nova: as Converse; Llama 3 and Mistral: any turns after a first user one', () => {
    expect(problem(NOVA, [user('')], 'invoke-model')).toMatch(/is blank/);
    expect(problem(LLAMA, [user(''), user('again')], 'invoke-model')).toBeUndefined();
    expect(problem(MISTRAL, [user(' ')], 'invoke-model')).toBeUndefined();
    expect(problem(LLAMA, [], 'invoke-model')).toMatch(/Meta Llama 3: messages must not be empty/);
    expect(problem(MISTRAL, [assistant('x')], 'invoke-model')).toMatch(/Mistral: the first message must have/);
    expect(() => validateModelRequest({ modelId: 'openai:gpt-4o-mini', messages: [] }, 'invoke-model')).toThrow(
      expect.objectContaining({ error: 'Provider.BadRequest' }),
    );
  });
});
