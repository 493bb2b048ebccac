import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors/template-error';
import { resolveValue } from './resolve-value';

const state = {
  input: { q: 'why?', tags: ['a', 'b'], n: 0 },
  steps: { docs: { results: [{ text: 'x' }] } },
  item: 'it',
  index: 3,
};

describe('resolveValue', () => {
  it('copies paths, renders templates, keeps literals and builds objects', () => {
    expect(
      resolveValue(
        {
          q: 'input.q',
          tags: 'input.tags',
          first: 'steps.docs.results[0].text',
          label: 'Q: {{input.q}} {{input.tags | json}}',
          n: 'input.n',
          lit: 7,
          yes: true,
          none: null,
          lane: 'gold',
          sentence: 'Answer briefly.',
          nested: { item: 'item', index: 'index' },
        },
        state,
      ),
    ).toEqual({
      q: 'why?',
      tags: ['a', 'b'],
      first: 'x',
      label: 'Q: why? ["a","b"]',
      n: 0,
      lit: 7,
      yes: true,
      none: null,
      lane: 'gold',
      sentence: 'Answer briefly.',
      nested: { item: 'it', index: 3 },
    });
  });
  it('resolves a top-level spec of any kind', () => {
    expect(resolveValue('input.tags', state)).toEqual(['a', 'b']);
    expect(resolveValue('{{input.q}}', state)).toBe('why?');
    expect(resolveValue(1.5, state)).toBe(1.5);
    expect(resolveValue(null, state)).toBeNull();
  });
  it('returns copies of objects it builds, and the state values paths point to', () => {
    const out = resolveValue({ tags: 'input.tags' }, state) as { tags: unknown };
    expect(out.tags).toBe(state.input.tags);
  });
  it('throws TemplateError for a missing path, naming the step', () => {
    let caught: unknown;
    try {
      resolveValue({ a: 'input.missing' }, state, 'build');
    } catch (error) {
      caught = error;
    }
    expect(TemplateError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ message: 'Step "build": path "input.missing" does not exist.', stepId: 'build' });
    expect(() => resolveValue('{{input.missing}}', state)).toThrow('template path "input.missing" does not exist.');
  });
});
