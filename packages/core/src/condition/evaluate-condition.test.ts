import { describe, expect, it } from 'vitest';
import { ChainDefinitionError } from '../errors/chain-definition-error';
import { and, eq, exists, gt, gte, isFalse, isTrue, lt, lte, matches, ne, not, or } from './builders';
import type { Condition } from './condition';
import { evaluateCondition } from './evaluate-condition';

const state = {
  input: {
    s: 'refund',
    n: 3,
    t: true,
    f: false,
    z: null,
    e: '',
    star: 'a*b',
    back: 'a\\b',
    mail: 'joe@example.com',
    o: { k: 1 },
  },
  steps: { check: { value: true } },
};
const test = (condition: Condition) => evaluateCondition(condition, state);

describe('evaluateCondition', () => {
  it('builders make plain data', () => {
    expect(eq('input.s', 'x')).toEqual({ op: 'eq', path: 'input.s', value: 'x' });
    expect(and(isTrue('input.t'), not(exists('input.q')))).toEqual({
      op: 'and',
      conditions: [
        { op: 'isTrue', path: 'input.t' },
        { op: 'not', condition: { op: 'exists', path: 'input.q' } },
      ],
    });
    expect(matches('input.s', 're*')).toEqual({ op: 'matches', path: 'input.s', pattern: 're*' });
  });
  it('eq and ne compare strictly, without coercion', () => {
    expect(test(eq('input.s', 'refund'))).toBe(true);
    expect(test(eq('input.n', 3))).toBe(true);
    expect(test(eq('input.n', '3'))).toBe(false);
    expect(test(eq('input.t', true))).toBe(true);
    expect(test(eq('input.t', 'true'))).toBe(false);
    expect(test(eq('input.z', null))).toBe(true);
    expect(test(eq('input.e', null))).toBe(false);
    expect(test(eq('input.o', 1))).toBe(false);
    expect(test(ne('input.s', 'other'))).toBe(true);
    expect(test(ne('input.s', 'refund'))).toBe(false);
    expect(test(ne('input.n', '3'))).toBe(true);
  });
  it('a comparison on a missing path is false, ne included', () => {
    for (const condition of [
      eq('input.missing', null),
      ne('input.missing', 'x'),
      gt('input.missing', 0),
      gte('input.missing', 0),
      lt('input.missing', 0),
      lte('input.missing', 0),
      isTrue('input.missing'),
      isFalse('input.missing'),
      matches('input.missing', '*'),
      exists('input.missing'),
      isTrue('steps.nope.value'),
    ]) {
      expect(test(condition), JSON.stringify(condition)).toBe(false);
    }
    expect(test(not(eq('input.missing', 'x')))).toBe(true);
  });
  it('orders numbers with numbers and strings with strings only', () => {
    expect(test(gt('input.n', 2))).toBe(true);
    expect(test(gt('input.n', 3))).toBe(false);
    expect(test(gte('input.n', 3))).toBe(true);
    expect(test(lt('input.n', 3))).toBe(false);
    expect(test(lte('input.n', 3))).toBe(true);
    expect(test(gt('input.s', 'apple'))).toBe(true);
    expect(test(lt('input.s', 'zebra'))).toBe(true);
    expect(test(gt('input.n', '2'))).toBe(false);
    expect(test(lt('input.s', 5))).toBe(false);
    expect(test(gt('input.t', 0))).toBe(false);
    expect(test(lt('input.z', 1))).toBe(false);
  });
  it('isTrue, isFalse and exists', () => {
    expect(test(isTrue('input.t'))).toBe(true);
    expect(test(isTrue('steps.check.value'))).toBe(true);
    expect(test(isTrue('input.s'))).toBe(false);
    expect(test(isTrue('input.n'))).toBe(false);
    expect(test(isFalse('input.f'))).toBe(true);
    expect(test(isFalse('input.e'))).toBe(false);
    expect(test(isFalse('input.z'))).toBe(false);
    expect(test(exists('input.z'))).toBe(true);
    expect(test(exists('input.e'))).toBe(true);
  });
  it('matches with * wildcards and escapes', () => {
    expect(test(matches('input.mail', '*@example.com'))).toBe(true);
    expect(test(matches('input.mail', '*@example.org'))).toBe(false);
    expect(test(matches('input.s', 'ref*'))).toBe(true);
    expect(test(matches('input.s', 'r*f*d'))).toBe(true);
    expect(test(matches('input.s', 'refund*'))).toBe(true);
    expect(test(matches('input.s', 'REFUND'))).toBe(false);
    expect(test(matches('input.e', '*'))).toBe(true);
    expect(test(matches('input.star', 'a\\*b'))).toBe(true);
    expect(test(matches('input.s', 'r\\*'))).toBe(false);
    expect(test(matches('input.back', 'a\\\\b'))).toBe(true);
    expect(test(matches('input.mail', 'joe.example.com'))).toBe(false);
    expect(test(matches('input.s', '(refund)'))).toBe(false);
    expect(test(matches('input.n', '*'))).toBe(false);
  });
  it('and, or, not', () => {
    expect(test(and(isTrue('input.t'), eq('input.n', 3)))).toBe(true);
    expect(test(and(isTrue('input.t'), eq('input.n', 4)))).toBe(false);
    expect(test(or(isTrue('input.f'), eq('input.n', 3)))).toBe(true);
    expect(test(or(isTrue('input.f'), eq('input.n', 4)))).toBe(false);
    expect(test(not(isTrue('input.f')))).toBe(true);
    expect(test(and(or(eq('input.s', 'x'), eq('input.s', 'refund')), not(exists('input.missing'))))).toBe(true);
  });
  it('an invalid path is a definition error', () => {
    expect(() => test(isTrue('input.'))).toThrow(ChainDefinitionError);
  });
  it('parses a path once, and again when the condition was edited', () => {
    const condition = { op: 'eq', path: 'input.s', value: 'refund' } as Condition;
    expect(test(condition)).toBe(true);
    expect(test(condition)).toBe(true);
    (condition as { path: string }).path = 'input.mail';
    expect(test(condition)).toBe(false);
    (condition as { value: string }).value = 'joe@example.com';
    expect(test(condition)).toBe(true);
    (condition as { path: string }).path = 'input.';
    expect(() => test(condition)).toThrow(ChainDefinitionError);
    expect(() => test(condition)).toThrow(ChainDefinitionError);
  });
});
