import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { and, eq, exists, gt, isFalse, isTrue, lt, matches, ne, not } from '../condition/builders';
import { ChainDefinitionError } from '../errors/chain-definition-error';
import { choose, when } from '../steps/choose';
import { invoke } from '../steps/invoke';
import { map } from '../steps/map';
import { parallel } from '../steps/parallel';
import { respond } from '../steps/respond';
import { retrieve } from '../steps/retrieve';
import { split } from '../steps/split';
import { task } from '../steps/task';
import { transform } from '../steps/transform';
import type { Chain } from './chain';
import { checkPaths } from './check-paths';
import { defineChain } from './define-chain';
import { formatShape } from './format-shape';
import type { Step } from './step';
import { validateChain } from './validate-chain';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** Checks a chain built from untyped parts (the compile-time check is tested in the *.test-d.ts files). */
function check(steps: Step[], extra: Partial<Chain> = {}): void {
  validateChain({ name: 'test', steps, ...extra });
}
function refusal(steps: Step[], extra: Partial<Chain> = {}): ChainDefinitionError {
  try {
    check(steps, extra);
  } catch (error) {
    expect(ChainDefinitionError.isInstance(error), String(error)).toBe(true);
    return error as ChainDefinitionError;
  }
  throw new Error('the chain was accepted');
}

const question = z.object({
  question: z.string(),
  history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).default([]),
  documents: z.array(z.object({ title: z.string(), text: z.string() })).default([]),
  tier: z.enum(['free', 'gold']).optional(),
  age: z.number().int().optional(),
});
const withInput = { input: question as unknown as Chain['input'] };
const needsDocs = invoke('needsDocs', { model: HAIKU, prompt: '{{input.question}}', output: 'boolean' });
const keywords = invoke('keywords', { model: HAIKU, prompt: '{{input.question}}' });
const answer = (prompt: string) => respond('answer', { model: HAIKU, prompt });

describe('the typos of issue 13 are refused with the nearest valid path', () => {
  it('a condition path: isTrue("steps.needsDocs.valeu")', () => {
    const error = refusal([
      needsDocs,
      choose('route', [when(isTrue('steps.needsDocs.valeu'), [transform('docs', { set: { a: 1 } })])]),
    ]);
    expect(error.message).toBe(
      'Step "route": case #1 reads "steps.needsDocs.valeu", which cannot exist: "steps.needsDocs" has no key ' +
        '"valeu" (it is { text: string; value: boolean; usage: { inputTokens: number; outputTokens: number } }). ' +
        'Did you mean "steps.needsDocs.value"?',
    );
    expect(error.stepId).toBe('route');
  });
  it('a template path into the input schema: {{input.qestion}}', () => {
    const error = refusal([answer('Q: {{input.qestion}}')], withInput);
    expect(error.message).toMatch(
      /^Step "answer": prompt reads "input.qestion", which cannot exist: "input" has no key "qestion"/,
    );
    expect(error.message).toMatch(/Did you mean "input.question"\?$/);
  });
  it('a template path into a step output: {{steps.keywords.txt}}', () => {
    const error = refusal([keywords, answer('{{input.question}} {{steps.keywords.txt}}')], withInput);
    expect(error.message).toMatch(/^Step "answer": prompt reads "steps.keywords.txt", which cannot exist/);
    expect(error.message).toMatch(/Did you mean "steps.keywords.text"\?$/);
  });
});

describe('every kind of path is checked, with a did-you-mean', () => {
  it('template paths (prompt, system, query)', () => {
    expect(
      refusal([invoke('a', { model: HAIKU, system: '{{input.questoin}}', prompt: 'x' })], withInput).message,
    ).toMatch(/^Step "a": system reads "input.questoin".*Did you mean "input.question"\?$/);
    expect(
      refusal([retrieve('r', { knowledgeBaseId: 'KB12345678', query: '{{input.qeustion}}' })], withInput).message,
    ).toMatch(/^Step "r": query reads .*Did you mean "input.question"\?$/);
  });
  it('condition paths, nested in and/or/not', () => {
    const error = refusal([
      needsDocs,
      choose('route', [
        when(isTrue('input.x'), []),
        when(and(exists('input.y'), not(isFalse('steps.needsDocs.vlaue'))), []),
      ]),
    ]);
    expect(error.message).toMatch(
      /^Step "route": case #2 reads "steps.needsDocs.vlaue".*Did you mean "steps.needsDocs.value"\?$/,
    );
  });
  it('map.items', () => {
    const error = refusal(
      [map('each', { items: 'input.documnets', steps: [transform('one', { set: { t: 'item.title' } })] })],
      withInput,
    );
    expect(error.message).toMatch(/^Step "each": items reads "input.documnets".*Did you mean "input.documents"\?$/);
  });
  it('item paths inside a map follow the items', () => {
    const error = refusal(
      [map('each', { items: 'input.documents', steps: [transform('one', { set: { t: 'item.titel' } })] })],
      withInput,
    );
    expect(error.message).toMatch(
      /^Step "one": set.t reads "item.titel".*"item" has no key "titel".*Did you mean "item.title"\?$/,
    );
    check(
      [map('each', { items: 'input.documents', steps: [transform('one', { set: { t: 'item.title', i: 'index' } })] })],
      withInput,
    );
  });
  it('messages.from', () => {
    const error = refusal([respond('answer', { model: HAIKU, messages: { from: 'input.histroy' } })], withInput);
    expect(error.message).toMatch(
      /^Step "answer": messages.from reads "input.histroy".*Did you mean "input.history"\?$/,
    );
  });
  it('value paths (transform.set, task.input) and nested value objects', () => {
    expect(refusal([keywords, transform('t', { set: { k: 'steps.keywords.txet' } })]).message).toMatch(
      /^Step "t": set.k reads "steps.keywords.txet".*Did you mean "steps.keywords.text"\?$/,
    );
    expect(
      refusal([keywords, task('t', { handler: 'h', input: { deep: { k: 'steps.keywords.usage.inputToken' } } })])
        .message,
    ).toMatch(/^Step "t": input.deep.k reads .*Did you mean "steps.keywords.usage.inputTokens"\?$/);
  });
  it('the chain output', () => {
    const error = refusal([keywords], { output: { k: 'steps.keywords.tetx' } });
    expect(error.message).toMatch(
      /^Chain "test" output: output.k reads "steps.keywords.tetx".*Did you mean "steps.keywords.text"\?$/,
    );
    expect(error.stepId).toBeUndefined();
  });
  it('a step id that does not exist', () => {
    const error = refusal([keywords, answer('{{steps.keywrods.text}}')]);
    expect(error.message).toBe(
      'Step "answer": path "steps.keywrods.text" refers to step "keywrods", which does not exist. Did you mean "steps.keywords.text"?',
    );
  });
  it('defineChain refuses them too (the definition-time check, not only validateChain)', () => {
    expect(() =>
      defineChain({ name: 'typo', input: question, steps: [transform('a', { set: { q: '{{input.qestion}}' } })] }),
    ).toThrow(/Did you mean "input.question"\?/);
  });
});

describe('paths into the shape of each step kind', () => {
  it('invoke: value only for json and boolean', () => {
    check([keywords, needsDocs, transform('t', { set: { a: 'steps.keywords.text', b: 'steps.needsDocs.value' } })]);
    expect(refusal([keywords, transform('t', { set: { v: 'steps.keywords.value' } })]).message).toMatch(
      /"steps.keywords" has no key "value"/,
    );
    check([
      invoke('j', { model: HAIKU, prompt: 'x', output: 'json' }),
      transform('t', { set: { v: 'steps.j.value.any[2].thing' } }),
    ]);
  });
  it('retrieve: results of { text, score, source? }', () => {
    const docs = retrieve('docs', { knowledgeBaseId: 'KB12345678', query: 'q' });
    check([
      docs,
      transform('t', { set: { first: 'steps.docs.results[0].text', source: 'steps.docs.results[1].source' } }),
    ]);
    expect(refusal([docs, transform('t', { set: { s: 'steps.docs.results[0].scroe' } })]).message).toMatch(
      /Did you mean "steps.docs.results\[0\].score"\?$/,
    );
    expect(refusal([docs, transform('t', { set: { s: 'steps.docs.results.text' } })]).message).toMatch(
      /"steps.docs.results" is always an array .* which has no key "text". Did you mean "steps.docs.results\[0\].text"\?$/,
    );
  });
  it('task: unknown without an output schema, its shape with one', () => {
    check([task('t', { handler: 'h' }), transform('x', { set: { a: 'steps.t.anything.below[0]' } })]);
    const typed = task('t', { handler: 'h', output: z.object({ plan: z.string() }) });
    check([typed, transform('x', { set: { a: 'steps.t.plan' } })]);
    expect(refusal([typed, transform('x', { set: { a: 'steps.t.paln' } })]).message).toMatch(
      /Did you mean "steps.t.plan"\?$/,
    );
    const json = task('t', {
      handler: 'h',
      outputJsonSchema: { type: 'object', properties: { plan: { type: 'string' } }, additionalProperties: false },
    });
    expect(refusal([json, transform('x', { set: { a: 'steps.t.paln' } })]).message).toMatch(
      /Did you mean "steps.t.plan"\?$/,
    );
  });
  it('transform: the object it builds, nested', () => {
    const t = transform('t', { set: { a: { b: 'input.question' }, n: 1 } });
    check([t, transform('x', { set: { v: 'steps.t.a.b', n: 'steps.t.n' } })], withInput);
    expect(refusal([t, transform('x', { set: { v: 'steps.t.a.c' } })], withInput).message).toMatch(
      /"steps.t.a" has no key "c" \(it is \{ b: string \}\). Did you mean "steps.t.a.b"\?$/,
    );
  });
  it('parallel: one key per branch, the branch last output', () => {
    const p = parallel('p', { kw: [keywords], check: [needsDocs] });
    check([p, transform('x', { set: { a: 'steps.p.kw.text', b: 'steps.p.check.value' } })]);
    expect(refusal([p, transform('x', { set: { a: 'steps.p.kws.text' } })]).message).toMatch(
      /Did you mean "steps.p.kw"\?$/,
    );
  });
  it('choose: any case output, or null; a path in any case exists', () => {
    const c = choose(
      'c',
      [when(isTrue('input.x'), [transform('a', { set: { lane: 'a', only: 1 } })])],
      [transform('b', { set: { lane: 'b' } })],
    );
    check([c, transform('x', { set: { lane: 'steps.c.lane', only: 'steps.c.only' } })]);
    expect(refusal([c, transform('x', { set: { l: 'steps.c.lnae' } })]).message).toMatch(
      /Did you mean "steps.c.lane"\?$/,
    );
  });
  it('map: an array of the last output', () => {
    const m = map('m', { items: 'input.documents', steps: [keywords] });
    check([m, transform('x', { set: { first: 'steps.m[0].text' } })], withInput);
    expect(refusal([m, transform('x', { set: { first: 'steps.m.text' } })], withInput).message).toMatch(
      /Did you mean "steps.m\[0\].text"\?$/,
    );
  });
  it('split: { variant, output }', () => {
    const s = split('s', { a: { weight: 1, steps: [keywords] }, b: { weight: 1, steps: [] } });
    check([s, transform('x', { set: { v: 'steps.s.variant', t: 'steps.s.output.text' } })]);
    expect(refusal([s, transform('x', { set: { v: 'steps.s.varaint' } })]).message).toMatch(
      /Did you mean "steps.s.variant"\?$/,
    );
  });
  it('respond: { text, usage }, readable by the chain output', () => {
    check([answer('hi')], { output: { text: 'steps.answer.text', tokens: 'steps.answer.usage.outputTokens' } });
    expect(refusal([answer('hi')], { output: { t: 'steps.answer.txt' } }).message).toMatch(
      /Did you mean "steps.answer.text"\?$/,
    );
  });
  it('a caught step: its own output or the fallback last output', () => {
    const caught = retrieve('docs', {
      knowledgeBaseId: 'KB12345678',
      query: 'q',
      policy: { catch: { errors: ['States.ALL'], fallback: [transform('none', { set: { note: 'x' } })] } },
    });
    check([caught, transform('x', { set: { a: 'steps.docs.results', b: 'steps.docs.note' } })]);
    expect(refusal([caught, transform('x', { set: { b: 'steps.docs.nope' } })]).message).toMatch(
      /\{ results: .* \} \| \{ note: "x" \}\)\. Did you mean "steps.docs.note"\?$/,
    );
  });
});

describe('unknown parts allow every path', () => {
  it('no input schema, a schema that gives no JSON Schema, additionalProperties', () => {
    check([transform('t', { set: { a: 'input.anything[0].below' } })]);
    check([transform('t', { set: { a: 'input.x.y' } })], {
      inputJsonSchema: { type: 'object', properties: { q: { type: 'string' } } },
    });
    check([transform('t', { set: { a: 'input.extra.y' } })], {
      inputJsonSchema: {
        type: 'object',
        properties: { q: { type: 'string' } },
        additionalProperties: false,
        patternProperties: { '^x': {} },
      },
    });
    check([transform('t', { set: { a: 'input.meta.anything' } })], {
      input: z.object({ meta: z.looseObject({}) }) as unknown as Chain['input'],
    });
    check([transform('t', { set: { a: 'input.tags.anything' } })], {
      input: z.object({ tags: z.record(z.string(), z.string()) }) as unknown as Chain['input'],
    });
  });
  it('the input shape is what validation gives back (zod defaults are present)', () => {
    const shapes = checkPaths({ name: 'x', steps: [keywords], ...withInput });
    expect(formatShape(shapes.input)).toBe(
      '{ question: string; history: { role: "user" | "assistant"; content: string }[]; ' +
        'documents: { title: string; text: string }[]; tier?: "free" | "gold"; age?: number }',
    );
  });
});

describe('a path whose value can never fit its use is refused', () => {
  const textStep = keywords;
  it('isTrue / isFalse on a field that is never a boolean', () => {
    const error = refusal([textStep, choose('c', [when(isTrue('steps.keywords.text'), [])])]);
    expect(error.message).toBe(
      'Step "c": case #1: isTrue("steps.keywords.text") can never fit: it tests for a boolean, but the value there ' +
        'is always a string (string).',
    );
    check([needsDocs, choose('c', [when(isFalse('steps.needsDocs.value'), [])])]);
  });
  it('gt / lt on a field of another type than the value compared with', () => {
    expect(refusal([textStep, choose('c', [when(gt('steps.keywords.text', 3), [])])]).message).toMatch(
      /^Step "c": case #1: gt\("steps.keywords.text", 3\) can never fit: it compares with a number, but the value there is always a string/,
    );
    check([textStep, choose('c', [when(gt('steps.keywords.text', 'm'), [])])]);
    check([textStep, choose('c', [when(lt('steps.keywords.usage.outputTokens', 100), [])])]);
    expect(refusal([choose('c', [when(lt('input.question', 3), [])])], withInput).message).toMatch(/can never fit/);
  });
  it('eq / ne with a value of another type, or a string the field never holds', () => {
    expect(refusal([needsDocs, choose('c', [when(eq('steps.needsDocs.value', 'true'), [])])]).message).toMatch(
      /eq\("steps.needsDocs.value", "true"\) can never fit: it compares with a string, but the value there is always a boolean/,
    );
    expect(refusal([choose('c', [when(eq('input.tier', 'glod'), [])])], withInput).message).toBe(
      'Step "c": case #1: eq("input.tier", "glod") can never hold: the value there is one of "free", "gold". Did you mean "gold"?',
    );
    const s = split('s', { a: { weight: 1, steps: [] }, b: { weight: 1, steps: [] } });
    expect(refusal([s, choose('c', [when(ne('steps.s.variant', 'c'), [])])]).message).toMatch(/one of "a", "b"/);
    check([s, choose('c', [when(eq('steps.s.variant', 'a'), [])])]);
    check([choose('c', [when(eq('input.tier', 'gold'), []), when(eq('input.age', 3), [])])], withInput);
  });
  it('matches on a field that is never a string', () => {
    expect(refusal([textStep, choose('c', [when(matches('steps.keywords.usage', '*'), [])])]).message).toMatch(
      /matches\("steps.keywords.usage", \.\.\.\) can never fit: it matches a string, but the value there is always an object/,
    );
  });
  it('map.items and messages.from that are never arrays', () => {
    expect(refusal([keywords, map('m', { items: 'steps.keywords.text', steps: [needsDocs] })]).message).toMatch(
      /^Step "m": items "steps.keywords.text" can never fit: a map needs an array/,
    );
    expect(
      refusal([respond('answer', { model: HAIKU, messages: { from: 'input.question' } })], withInput).message,
    ).toMatch(/messages.from "input.question" can never fit: the history must be an array/);
  });
  it('a bare placeholder on a value that is always an object or array (which Step Functions would print as Java-map text)', () => {
    const error = refusal([keywords, answer('Usage: {{steps.keywords.usage}}')]);
    expect(error.message).toBe(
      'Step "answer": prompt: {{steps.keywords.usage}} is always an object ({ inputTokens: number; outputTokens: number }), ' +
        'but a bare placeholder renders only a string, number or boolean. Did you mean "{{steps.keywords.usage | json}}"?',
    );
    check([keywords, answer('Usage: {{steps.keywords.usage | json}} {{steps.keywords.usage.inputTokens}}')]);
    const c = choose('c', [when(isTrue('input.x'), [transform('a', { set: { a: 1 } })])]);
    expect(refusal([c, answer('{{steps.c}}')]).message).toMatch(/is always an object or null/);
    // a value that may be a string (any JSON) stays allowed
    check([invoke('j', { model: HAIKU, prompt: 'x', output: 'json' }), answer('{{steps.j.value}}')]);
  });
});
