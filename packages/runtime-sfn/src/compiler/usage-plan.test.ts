import { choose, invoke, isTrue, map, parallel, split, task, transform, when } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { usagePlan } from './usage-plan';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const ask = (id: string) => invoke(id, { model: HAIKU, prompt: 'Hi' });
const note = (id: string) => transform(id, { set: { x: 1 } });

describe('usagePlan', () => {
  it('leaves main-path steps and branches whose output shows their tokens bare', () => {
    const plan = usagePlan([
      ask('a'),
      parallel('p', { one: [ask('b')], two: [note('c')] }),
      map('m', { items: 'input.list', steps: [note('d'), ask('e')] }),
      choose('c1', [when(isTrue('input.x'), [ask('f')])]),
      split('s', { a: { weight: 1, steps: [ask('g')] } }),
    ]);
    for (const id of ['a', 'p', 'm', 'c1', 's', 'b', 'e', 'f', 'g']) expect(plan.wrap(id), id).toBeUndefined();
    expect(plan.subMachine([ask('b')])).toBe('bare');
    expect(plan.subMachine([note('c')])).toBe('plain');
    expect(plan.subMachine([])).toBe('plain');
  });

  it('wraps a parallel or map whose branch has model calls its output does not show', () => {
    const steps = [
      parallel('p', { one: [ask('a'), note('b')] }),
      map('m', { items: 'input.list', steps: [ask('c'), ask('d')] }),
    ];
    const plan = usagePlan(steps);
    expect(plan.wrap('p')).toBe('own');
    expect(plan.wrap('m')).toBe('own');
    expect(plan.subMachine([ask('a'), note('b')])).toBe('record');
  });

  it('wraps every model-calling container, choose and split outside the main path, and caught steps', () => {
    const inner = map('inner', { items: 'item.list', steps: [ask('a')] });
    const routed = choose('route', [when(isTrue('input.x'), [ask('b')])]);
    const caught = task('t', {
      handler: 'h',
      policy: { catch: { errors: ['States.ALL'], fallback: [ask('rescue')] } },
    });
    const plan = usagePlan([
      map('outer', { items: 'input.groups', steps: [inner] }),
      parallel('p', { one: [routed, split('s', { a: { weight: 1, steps: [ask('c')] } })] }),
      caught,
      // A transform cannot fail in ASL: its fallback never runs.
      transform('shape', { set: {}, policy: { catch: { errors: ['States.ALL'], fallback: [ask('never')] } } }),
    ]);
    expect(plan.wrap('inner')).toBe('own');
    expect(plan.wrap('outer')).toBe('own');
    expect(plan.subMachine([inner])).toBe('tail');
    expect(plan.wrap('route')).toBe('own');
    expect(plan.wrap('s')).toBe('own');
    expect(plan.wrap('t')).toBe('caught');
    expect(plan.wrap('shape')).toBeUndefined();
    expect(plan.hasInvoke(caught)).toBe(true);
    expect(plan.hasInvoke(caught, false)).toBe(false);
    expect(plan.step('rescue')?.type).toBe('invoke');
  });
});
