import { describe, expect, it } from 'vitest';
import { getPath, parsePath, toJsonPath } from './path';

describe('parsePath', () => {
  it('parses roots, keys and indices', () => {
    expect(parsePath('input')).toEqual({ source: 'input', root: 'input', segments: [] });
    expect(parsePath('steps.search.results[0].text')).toEqual({
      source: 'steps.search.results[0].text',
      root: 'steps',
      segments: ['search', 'results', 0, 'text'],
    });
    expect(parsePath('item[2][10]._x')).toEqual({ source: 'item[2][10]._x', root: 'item', segments: [2, 10, '_x'] });
    expect(parsePath('index')).toEqual({ source: 'index', root: 'index', segments: [] });
  });
  it('rejects anything else', () => {
    for (const bad of [
      '',
      'output.x',
      'input.',
      'input..a',
      'input.a-b',
      'input[x]',
      'input[-1]',
      'input.1a',
      ' input',
      'input.a ',
      'index.x',
      'index[0]',
      '$.input',
      'steps.a.b c',
    ]) {
      expect(parsePath(bad), bad).toBeUndefined();
    }
  });
});

describe('getPath', () => {
  const state = { input: { a: { b: [10, { c: null }] }, zero: 0, f: false }, steps: {}, index: 0, item: null };
  const get = (path: string) => getPath(state, parsePath(path)!);
  it('reads values, falsy ones included', () => {
    expect(get('input.a.b[0]')).toEqual({ found: true, value: 10 });
    expect(get('input.a.b[1].c')).toEqual({ found: true, value: null });
    expect(get('input.zero')).toEqual({ found: true, value: 0 });
    expect(get('input.f')).toEqual({ found: true, value: false });
    expect(get('index')).toEqual({ found: true, value: 0 });
    expect(get('item')).toEqual({ found: true, value: null });
  });
  it('reports missing segments', () => {
    expect(get('input.nope')).toEqual({ found: false });
    expect(get('input.a.b[2]')).toEqual({ found: false });
    expect(get('input.a.b.c')).toEqual({ found: false });
    expect(get('input.a[0]')).toEqual({ found: false });
    expect(get('input.zero.x')).toEqual({ found: false });
    expect(get('input.a.b[1].c.d')).toEqual({ found: false });
    expect(get('input.a.toString')).toEqual({ found: false });
    expect(getPath({ input: {} }, parsePath('item')!)).toEqual({ found: false });
    expect(getPath(undefined, parsePath('input')!)).toEqual({ found: false });
  });
});

describe('toJsonPath', () => {
  it('writes the JSONPath the compiler uses', () => {
    expect(toJsonPath(parsePath('input.question')!)).toBe('$.input.question');
    expect(toJsonPath(parsePath('steps.search.results[0].text')!)).toBe('$.steps.search.results[0].text');
    expect(toJsonPath(parsePath('index')!)).toBe('$.index');
  });
});
