import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, JsonPathNotFoundError } from './evaluate-json-path';
import { parseJsonPath } from './parse-json-path';

const read = (path: string, input: unknown, context: unknown = {}) =>
  evaluateJsonPath(parseJsonPath(path), { input, context, variables: { v: { a: 1 } } });

describe('JSONPath as Step Functions (Jayway) evaluates it', () => {
  it('reads members, indexes from either end, the context object and variables', () => {
    const input = { a: { b: [1, 2, 3] }, 'x-y': 4 };
    expect(read('$.a.b[0]', input)).toBe(1);
    expect(read('$.a.b[-1]', input)).toBe(3);
    expect(read("$['x-y']", input)).toBe(4);
    expect(read('$.x-y', input)).toBe(4);
    expect(read('$$.Execution.Name', {}, { Execution: { Name: 'n' } })).toBe('n');
    expect(read('$v.a', {})).toBe(1);
    expect(read('$', input)).toBe(input);
  });

  it('has no .length: it is a member named length, absent on arrays and strings', () => {
    expect(() => read('$.arr.length', { arr: [1, 2] })).toThrow(JsonPathNotFoundError);
    expect(() => read('$.s.length', { s: 'abc' })).toThrow(JsonPathNotFoundError);
  });

  it('cannot index into a string', () => {
    expect(() => read('$.s[0]', { s: 'abc' })).toThrow(/can only be applied to arrays/);
  });

  it('fails a definite path that selects nothing, with Jayway message', () => {
    expect(() => read('$.NoSuchInputPath', {})).toThrow("No results for path: $['NoSuchInputPath']");
    expect(() => read('$.a[5]', { a: [1] })).toThrow(JsonPathNotFoundError);
  });

  it('yields an array for an indefinite path, empty when nothing matches', () => {
    const input = { items: [{ v: 1 }, { v: 2 }, {}] };
    expect(read('$.items[*].v', input)).toEqual([1, 2]);
    expect(read('$.items[1:]', input)).toEqual([{ v: 2 }, {}]);
    expect(read('$.items[:1]', input)).toEqual([{ v: 1 }]);
    expect(read('$.items[-2:]', input)).toEqual([{ v: 2 }, {}]);
    expect(read('$.items[0,2]', input)).toEqual([{ v: 1 }, {}]);
    expect(read('$.items[1:]', {})).toEqual([]);
    expect(read('$.item.items[*]', {})).toEqual([]);
  });

  it('scans deeply and filters', () => {
    const input = {
      a: {
        name: 'x',
        b: [
          { name: 'y', n: 3 },
          { name: 'z', n: 1 },
        ],
      },
    };
    expect(read('$..name', input)).toEqual(['x', 'y', 'z']);
    expect(read('$.a.b[?(@.n > 2)].name', input)).toEqual(['y']);
    expect(read("$.a.b[?(@.name == 'z' || @.n >= 3)].n", input)).toEqual([3, 1]);
    expect(read('$.a.b[?(@.missing)]', input)).toEqual([]);
  });

  it('keeps a backslash in a quoted member unless it escapes the quote', () => {
    expect(read('$[\'Test\\""Name"\']', { 'Test\\""Name"': 'v' })).toBe('v');
    expect(read("$['it\\'s']", { "it's": 1 })).toBe(1);
  });
});
