import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors/template-error';
import { isTemplate, parseTemplate } from './parse-template';
import { renderTemplate } from './render-template';

const state = {
  input: {
    name: 'Zoë 🚀',
    quote: 'She said "hi" and {left} \\ right\'s',
    n: 42,
    f: 0.5,
    yes: true,
    no: false,
    empty: '',
    none: null,
    list: [1, 'two', { three: [3] }],
    nested: { a: { b: ['c', { d: 'é"' }] } },
  },
  steps: { classify: { value: true, text: 'yes' } },
  item: { title: 'T' },
  index: 0,
};

function templateError(run: () => unknown, message: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(TemplateError.isInstance(caught)).toBe(true);
  expect((caught as Error).message).toBe(message);
}

describe('renderTemplate', () => {
  it('renders strings, numbers and booleans', () => {
    expect(renderTemplate('Hi {{input.name}}, n={{input.n}} f={{input.f}} {{input.yes}}/{{input.no}}', state)).toBe(
      'Hi Zoë 🚀, n=42 f=0.5 true/false',
    );
    expect(renderTemplate('[{{input.empty}}]', state)).toBe('[]');
    expect(renderTemplate('{{item.title}}#{{index}}', state)).toBe('T#0');
  });
  it('keeps unicode, emoji, braces, quotes and backslashes of literal text and values as they are', () => {
    expect(renderTemplate('¿Qué? 👋 {"json": true} \'single\' \\back {{input.quote}}', state)).toBe(
      '¿Qué? 👋 {"json": true} \'single\' \\back She said "hi" and {left} \\ right\'s',
    );
    expect(renderTemplate('{{{input.n}}}', state)).toBe('{42}');
    expect(renderTemplate('a } b { c', state)).toBe('a } b { c');
  });
  it('does not render placeholders inside values again', () => {
    expect(renderTemplate('{{input.x}}', { input: { x: '{{input.y}}' } })).toBe('{{input.y}}');
  });
  it('renders any JSON value compactly with | json', () => {
    expect(renderTemplate('{{input.nested | json}}', state)).toBe('{"a":{"b":["c",{"d":"é\\""}]}}');
    expect(renderTemplate('{{input.list|json}}', state)).toBe('[1,"two",{"three":[3]}]');
    expect(renderTemplate('{{input.none | json}}', state)).toBe('null');
    expect(renderTemplate('{{input.name | json}}', state)).toBe('"Zoë 🚀"');
    expect(renderTemplate('{{input.n | json}}', state)).toBe('42');
    expect(renderTemplate('{{ steps.classify | json }}', state)).toBe('{"value":true,"text":"yes"}');
  });
  it('allows whitespace inside placeholders', () => {
    expect(renderTemplate('{{input.n}}|{{ input.n }}|{{\tinput.n\n}}|{{input.n   |   json}}', state)).toBe(
      '42|42|42|42',
    );
  });
  it('rejects bare objects, arrays and null, naming the step and the path', () => {
    templateError(
      () => renderTemplate('{{input.nested}}', state, 'ask'),
      'Step "ask": template path "input.nested" is an object; use "{{input.nested | json}}" to render it.',
    );
    templateError(
      () => renderTemplate('{{input.list}}', state, 'ask'),
      'Step "ask": template path "input.list" is an array; use "{{input.list | json}}" to render it.',
    );
    templateError(
      () => renderTemplate('{{input.none}}', state),
      'template path "input.none" is null; use "{{input.none | json}}" to render it.',
    );
  });
  it('rejects missing paths, | json included', () => {
    templateError(
      () => renderTemplate('{{input.missing}}', state, 'ask'),
      'Step "ask": template path "input.missing" does not exist.',
    );
    templateError(
      () => renderTemplate('{{input.list[9] | json}}', state),
      'template path "input.list[9]" does not exist.',
    );
    templateError(
      () => renderTemplate('{{steps.later.text}}', state),
      'template path "steps.later.text" does not exist.',
    );
    const error = (() => {
      try {
        renderTemplate('{{input.missing}}', state, 'ask');
      } catch (caught) {
        return caught as TemplateError;
      }
    })();
    expect(error?.stepId).toBe('ask');
  });
  it('takes a parsed template too', () => {
    expect(renderTemplate(parseTemplate('n={{input.n}}'), state)).toBe('n=42');
  });
});

describe('parseTemplate', () => {
  it('splits text and placeholders', () => {
    expect(parseTemplate('Q: {{input.q}} / {{steps.docs.results | json}}!')).toEqual([
      { type: 'text', value: 'Q: ' },
      { type: 'path', path: { source: 'input.q', root: 'input', segments: ['q'] } },
      { type: 'text', value: ' / ' },
      {
        type: 'path',
        path: { source: 'steps.docs.results', root: 'steps', segments: ['docs', 'results'] },
        filter: 'json',
      },
      { type: 'text', value: '!' },
    ]);
    expect(parseTemplate('')).toEqual([]);
    expect(parseTemplate('plain')).toEqual([{ type: 'text', value: 'plain' }]);
  });
  it('returns the same parse for the same template', () => {
    expect(parseTemplate('{{input.a}}')).toBe(parseTemplate('{{input.a}}'));
  });
  it('rejects unbalanced braces', () => {
    templateError(
      () => parseTemplate('Hi {{input.name'),
      'Template has an unbalanced "{{" in "Hi {{input.name"; placeholders are {{path}} or {{path | json}}.',
    );
    templateError(
      () => parseTemplate('Hi }} there'),
      'Template has an unbalanced "}}" in "Hi }} there"; placeholders are {{path}} or {{path | json}}.',
    );
    templateError(
      () => parseTemplate('{{input.a}'),
      'Template has an unbalanced "{{" in "{{input.a}"; placeholders are {{path}} or {{path | json}}.',
    );
    templateError(
      () => parseTemplate('{{ {{input.a}} }}'),
      'Template has an unbalanced "{{" in "{{ "; placeholders are {{path}} or {{path | json}}.',
    );
  });
  it('rejects invalid paths and filters', () => {
    templateError(() => parseTemplate('{{}}'), 'Template placeholder "{{}}" has an invalid path "".');
    templateError(
      () => parseTemplate('{{ output.x }}'),
      'Template placeholder "{{ output.x }}" has an invalid path "output.x".',
    );
    templateError(
      () => parseTemplate('{{input.a b}}'),
      'Template placeholder "{{input.a b}}" has an invalid path "input.a b".',
    );
    templateError(
      () => parseTemplate('{{input.a | upper}}'),
      'Template placeholder "{{input.a | upper}}" uses unknown filter "upper" (only "json" exists).',
    );
  });
  it('isTemplate tells templates from paths', () => {
    expect(isTemplate('{{input.q}}?')).toBe(true);
    expect(isTemplate('input.q')).toBe(false);
    expect(isTemplate('a { b }')).toBe(false);
  });
});
