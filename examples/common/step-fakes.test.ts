import type { ModelRequest, TaskHandler } from '@stepwise/core';
import { lastUserText, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { describe, expect, it, vi } from 'vitest';
import { stepFakes } from './step-fakes';

const request = (stepId: string | undefined, text: string): ModelRequest => ({
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  messages: [{ role: 'user', content: text }],
  ...(stepId === undefined ? {} : { stepId }),
});

describe('stepFakes', () => {
  it('answers each step with its function of the request, and fails a step without one', async () => {
    const { models, knowledgeBases, handlers } = stepFakes({
      shout: (req) => lastUserText(req).toUpperCase(),
      count: (req) => String(lastUserText(req).length),
    });
    expect((await models.doInvoke(request('shout', 'hello'))).text).toBe('HELLO');
    expect((await models.doInvoke(request('count', 'hello'))).text).toBe('5');
    await expect(models.doInvoke(request('other', 'hello'))).rejects.toMatchObject({
      error: 'Bedrock.ValidationException',
    });
    await expect(models.doInvoke(request(undefined, 'hello'))).rejects.toMatchObject({
      error: 'Bedrock.ValidationException',
    });
    expect(knowledgeBases).toEqual({});
    expect(handlers).toEqual({});
  });

  it('serves the given knowledge bases and handlers', () => {
    const kb = memoryKnowledgeBase([{ text: 'Refunds take 14 days.' }]);
    const lookup: TaskHandler = () => ({ ok: true });
    const fakes = stepFakes({}, { knowledgeBases: { KB1: kb }, handlers: { lookup } });
    expect(fakes.knowledgeBases.KB1).toBe(kb);
    expect(fakes.handlers.lookup).toBe(lookup);
  });

  it('waits the given latency before a whole answer', async () => {
    vi.useFakeTimers();
    try {
      const { models } = stepFakes({ echo: lastUserText }, { firstTokenMs: 30 });
      let text: string | undefined;
      const pending = models.doInvoke(request('echo', 'a few words')).then((response) => {
        text = response.text;
      });
      await vi.advanceTimersByTimeAsync(29);
      expect(text).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(text).toBe('a few words');
    } finally {
      vi.useRealTimers();
    }
  });
});
