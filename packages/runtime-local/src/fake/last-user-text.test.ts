import type { ModelRequest } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { fakeModels } from './fake-models';
import { lastUserText } from './last-user-text';

const request = (messages: ModelRequest['messages']): ModelRequest => ({
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  messages,
});

describe('lastUserText', () => {
  it('is the last user message, after the chat history and any assistant turn', () => {
    const messages: ModelRequest['messages'] = [
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second question' },
      { role: 'assistant', content: '{' },
    ];
    expect(lastUserText(request(messages))).toBe('second question');
  });

  it('is empty when the request has no user message', () => {
    expect(lastUserText(request([]))).toBe('');
    expect(lastUserText(request([{ role: 'assistant', content: 'only me' }]))).toBe('');
  });

  it('lets fakeModels answer by a function of the prompt', async () => {
    const models = fakeModels({ respond: (req) => `You said: ${lastUserText(req).toUpperCase()}` });
    const response = await models.doInvoke(request([{ role: 'user', content: 'hello' }]));
    expect(response.text).toBe('You said: HELLO');
  });
});
