import { describe, expect, it } from 'vitest';
import { addUsage, emptyUsage } from './usage';

describe('usage accounting', () => {
  it('starts empty', () => {
    expect(emptyUsage()).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} });
    expect(emptyUsage()).not.toBe(emptyUsage());
  });
  it('adds calls to the totals and per model, in place', () => {
    const usage = emptyUsage();
    const returned = addUsage(usage, 'anthropic.claude-3-haiku-20240307-v1:0', { inputTokens: 12, outputTokens: 3 });
    expect(returned).toBe(usage);
    addUsage(usage, 'us.amazon.nova-lite-v1:0', { inputTokens: 5, outputTokens: 5 });
    addUsage(usage, 'anthropic.claude-3-haiku-20240307-v1:0', { inputTokens: 1, outputTokens: 2 });
    addUsage(usage, 'mistral.mistral-large-2402-v1:0', { inputTokens: 0, outputTokens: 0 });
    expect(usage).toEqual({
      inputTokens: 18,
      outputTokens: 10,
      totalTokens: 28,
      byModel: {
        'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 13, outputTokens: 5 },
        'us.amazon.nova-lite-v1:0': { inputTokens: 5, outputTokens: 5 },
        'mistral.mistral-large-2402-v1:0': { inputTokens: 0, outputTokens: 0 },
      },
    });
  });
  it("does not share the caller's usage object", () => {
    const call = { inputTokens: 1, outputTokens: 1 };
    const usage = addUsage(emptyUsage(), 'm', call);
    addUsage(usage, 'm', call);
    expect(call).toEqual({ inputTokens: 1, outputTokens: 1 });
  });
});
