import { describe, expect, it } from 'vitest';
import type { ModelRequest } from './model-provider';
import { getProviderApi } from './provider-http-api';

const request: ModelRequest = {
  modelId: 'openai:gpt-4o-mini',
  system: 'Answer in JSON.',
  messages: [
    { role: 'user', content: 'List three colours' },
    { role: 'assistant', content: '{ ' },
  ],
  maxTokens: 50,
  temperature: 0,
  topP: 0.9,
  stopSequences: ['\n\n'],
};

describe('provider HTTP APIs', () => {
  it('OpenAI Chat Completions: system first, max_completion_tokens, stop; read back as sent', () => {
    const api = getProviderApi('openai');
    const body = api.buildBody(request, 'gpt-4o-mini');
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Answer in JSON.' },
        { role: 'user', content: 'List three colours' },
        { role: 'assistant', content: '{ ' },
      ],
      max_completion_tokens: 50,
      temperature: 0,
      top_p: 0.9,
      stop: ['\n\n'],
    });
    expect(api.parseBody(JSON.stringify(body))).toEqual({
      model: 'gpt-4o-mini',
      request: { ...request, modelId: 'gpt-4o-mini' },
    });
    expect(getProviderApi('compatible').buildBody(request, 'llama3.2')).toHaveProperty('max_tokens', 50);
    expect(() => api.parseBody({ model: 'gpt-4o-mini', messages: [] })).toThrow(
      expect.objectContaining({ error: 'Provider.BadRequest', statusCode: 400 }),
    );
  });

  it('OpenAI answers: written and read, with the HTTP Task paths the compiler uses', () => {
    const api = getProviderApi('openai');
    const answer = api.writeResponse(
      { text: 'red', usage: { inputTokens: 7, outputTokens: 1 }, stopReason: 'max_tokens' },
      'gpt-4o-mini',
    );
    expect(answer).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'red' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 },
    });
    expect(api.readResponse(answer)).toEqual({
      text: 'red',
      usage: { inputTokens: 7, outputTokens: 1 },
      stopReason: 'max_tokens',
    });
    expect(api.resultPaths).toEqual({
      text: '$.ResponseBody.choices[0].message.content',
      inputTokens: '$.ResponseBody.usage.prompt_tokens',
      outputTokens: '$.ResponseBody.usage.completion_tokens',
    });
    expect(() => api.readResponse({ choices: [] })).toThrow(expect.objectContaining({ error: 'States.Runtime' }));
  });

  it("Anthropic Messages: Bedrock's body with the model and without anthropic_version; the version is a header", () => {
    const api = getProviderApi('anthropic');
    const body = api.buildBody({ ...request, modelId: 'anthropic:claude-sonnet-4-5' }, 'claude-sonnet-4-5');
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      system: 'Answer in JSON.',
      messages: [
        { role: 'user', content: 'List three colours' },
        { role: 'assistant', content: '{' },
      ],
      temperature: 0,
      top_p: 0.9,
      stop_sequences: ['\n\n'],
    });
    expect(api.headers['anthropic-version']).toBe('2023-06-01');
    expect(api.parseBody(body).request.messages.at(-1)).toEqual({ role: 'assistant', content: '{' });
    expect(() => api.parseBody({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] })).toThrow(
      expect.objectContaining({ error: 'Provider.BadRequest' }),
    );
    const answer = api.writeResponse(
      { text: 'ok', usage: { inputTokens: 3, outputTokens: 1 }, stopReason: 'end_turn' },
      'm',
    );
    expect(api.readResponse(answer)).toEqual({
      text: 'ok',
      usage: { inputTokens: 3, outputTokens: 1 },
      stopReason: 'end_turn',
    });
    expect(api.resultPaths.text).toBe('$.ResponseBody.content[0].text');
  });
});
