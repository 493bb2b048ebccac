import { addUsage, emptyUsage, invoke, type ModelUsage, map, parallel, task, transform } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { usagePlan } from '../compiler/usage-plan';
import { sumUsageEntry } from './sum-usage-entry';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';

describe('sumUsageEntry', () => {
  const steps = [
    parallel('fan', {
      record: [invoke('a', { model: HAIKU, prompt: 'A' }), transform('t', { set: { x: 1 } })],
      tail: [map('each', { items: 'input.list', steps: [invoke('e', { model: NOVA, prompt: 'E' })] })],
      bare: [invoke('b', { model: NOVA, prompt: 'B' })],
    }),
    map('pairs', {
      items: 'input.list',
      steps: [invoke('c', { model: HAIKU, prompt: 'C' }), invoke('d', { model: NOVA, prompt: 'D' })],
    }),
    task('lookup', {
      handler: 'h',
      policy: { catch: { errors: ['States.ALL'], fallback: [invoke('rescue', { model: HAIKU, prompt: 'R' })] } },
    }),
  ];
  const plan = usagePlan(steps);
  const sum = (stepId: string, entry: unknown) => {
    const usage = emptyUsage();
    sumUsageEntry(plan, plan.step(stepId)!, entry, (modelId: string, call: ModelUsage) =>
      addUsage(usage, modelId, call),
    );
    return usage.byModel;
  };

  it('adds up a parallel entry: records, tail entries and bare usages', () => {
    const entry = {
      record: { a: [10, 2] },
      tail: {
        each: [
          { inputTokens: 3, outputTokens: 1 },
          { inputTokens: 4, outputTokens: 1 },
        ],
      },
      bare: { b: [5, 5] },
    };
    expect(sum('fan', entry)).toEqual({
      [HAIKU]: { inputTokens: 10, outputTokens: 2 },
      [NOVA]: { inputTokens: 12, outputTokens: 7 },
    });
  });

  it('adds up one record per map iteration', () => {
    const entry = [
      { c: [1, 1], d: [2, 2] },
      { c: [1, 1], d: [2, 2] },
    ];
    expect(sum('pairs', entry)).toEqual({
      [HAIKU]: { inputTokens: 2, outputTokens: 2 },
      [NOVA]: { inputTokens: 4, outputTokens: 4 },
    });
  });

  it('adds up the fallback of a caught step, and ignores what is not a usage entry', () => {
    expect(sum('lookup', { rescue: [7, 3] })).toEqual({ [HAIKU]: { inputTokens: 7, outputTokens: 3 } });
    expect(sum('lookup', {})).toEqual({});
    expect(sum('pairs', { not: 'an array' })).toEqual({});
    expect(sum('fan', { record: { a: ['x', 1], unknown: [1, 1] } })).toEqual({});
  });
});
