import { describe, expect, it } from 'vitest';
import { JsonPathSyntaxError, parseJsonPath } from './parse-json-path';

describe('parseJsonPath', () => {
  it('parses roots: input, context and variables', () => {
    expect(parseJsonPath('$').root).toEqual({ kind: 'input' });
    expect(parseJsonPath('$$.Execution.Input').root).toEqual({ kind: 'context' });
    expect(parseJsonPath('$answer.text').root).toEqual({ kind: 'variable', name: 'answer' });
  });

  it('parses members, indexes, slices, wildcards, unions, scans and filters', () => {
    expect(parseJsonPath("$.a['b c'][0][-1]").segments).toEqual([
      { kind: 'property', names: ['a'] },
      { kind: 'property', names: ['b c'] },
      { kind: 'index', indexes: [0] },
      { kind: 'index', indexes: [-1] },
    ]);
    expect(parseJsonPath('$.a[1:3]').segments[1]).toEqual({ kind: 'slice', start: 1, end: 3 });
    expect(parseJsonPath('$.a[:2]').segments[1]).toEqual({ kind: 'slice', start: undefined, end: 2 });
    expect(parseJsonPath('$.a[*]').segments[1]).toEqual({ kind: 'wildcard' });
    expect(parseJsonPath('$..name').segments[0]).toEqual({
      kind: 'scan',
      selector: { kind: 'property', names: ['name'] },
    });
    expect(parseJsonPath('$.delivery-partner').segments[0]).toEqual({ kind: 'property', names: ['delivery-partner'] });
    expect(parseJsonPath("$.a[?(@.b > 1 && @.c == 'x')]").segments[1]).toMatchObject({
      kind: 'filter',
      expression: { kind: 'and' },
    });
  });

  it('tells definite paths from indefinite ones', () => {
    expect(parseJsonPath('$.a[0].b').definite).toBe(true);
    expect(parseJsonPath('$.a[*].b').definite).toBe(false);
    expect(parseJsonPath('$.a[0,1]').definite).toBe(false);
    expect(parseJsonPath('$..b').definite).toBe(false);
    expect(parseJsonPath('$.a[1:]').definite).toBe(false);
  });

  it('rejects what is not a path', () => {
    expect(() => parseJsonPath('a.b')).toThrow(JsonPathSyntaxError);
    expect(() => parseJsonPath('$.a[')).toThrow(SyntaxError);
    expect(() => parseJsonPath("$['a")).toThrow(/unterminated/);
    expect(() => parseJsonPath('$.')).toThrow(/member name/);
  });
});
