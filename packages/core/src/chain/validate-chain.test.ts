import { describe, expect, it } from 'vitest';
import { and, eq, exists, gt, isTrue, matches, not, or } from '../condition/builders';
import type { Condition } from '../condition/condition';
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
import { defineChain } from './define-chain';
import type { Step, StepPolicy } from './step';
import { validateChain } from './validate-chain';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';

function fails(steps: Step[], message: string, extra: Partial<Chain> = {}): ChainDefinitionError {
  let caught: unknown;
  try {
    validateChain({ name: 'test', steps, ...extra });
  } catch (error) {
    caught = error;
  }
  expect(ChainDefinitionError.isInstance(caught)).toBe(true);
  expect((caught as Error).message).toBe(message);
  return caught as ChainDefinitionError;
}
const ok = (steps: Step[], extra: Partial<Chain> = {}) =>
  expect(() => validateChain({ name: 'test', steps, ...extra })).not.toThrow();
const note = (id: string, value: string) => transform(id, { set: { value } });
const ask = (id: string, prompt: string) => invoke(id, { model: HAIKU, prompt });
const bad = <T>(value: unknown) => value as T;

describe('chain', () => {
  it('checks the name', () => {
    expect(() => validateChain({ name: 'has space', steps: [note('a', 'x')] })).toThrow(
      'Chain name "has space" must be 1-80 characters of [A-Za-z0-9_-].',
    );
    expect(() => validateChain({ name: 'x'.repeat(81), steps: [note('a', 'x')] })).toThrow(/must be 1-80 characters/);
    expect(() => validateChain({ name: '', steps: [note('a', 'x')] })).toThrow(/Chain name "" must be/);
    ok([note('a', 'x')], { name: 'qa-v2_final' });
  });
  it('needs steps', () => {
    fails([], 'Chain "test": steps must be a non-empty array of steps.');
  });
  it('checks input, inputJsonSchema and description shapes', () => {
    fails([note('a', 'x')], 'Chain "test": input must be a Standard Schema (zod 4, valibot, arktype, ...).', {
      input: bad({ parse() {} }),
    });
    fails([note('a', 'x')], 'Chain "test": inputJsonSchema must be a JSON Schema object.', {
      inputJsonSchema: bad('object'),
    });
    fails([note('a', 'x')], 'Chain "test": description must be a string.', { description: bad(3) });
  });
  it('defineChain reports the same errors', () => {
    expect(() => defineChain({ name: 'x', steps: [note('a', 'x'), note('a', 'y')] })).toThrow(
      'Step id "a" is used twice; step ids are unique within a chain.',
    );
  });
});

describe('step ids and types', () => {
  it('rejects a duplicate id, nested included', () => {
    const error = fails(
      [note('a', 'x'), parallel('p', { one: [note('a', 'y')] })],
      'Step id "a" is used twice; step ids are unique within a chain.',
    );
    expect(error.stepId).toBe('a');
    fails(
      [
        note('a', 'x'),
        invoke('b', {
          model: HAIKU,
          prompt: 'x',
          policy: { catch: { errors: ['States.ALL'], fallback: [note('a', 'z')] } },
        }),
      ],
      'Step id "a" is used twice; step ids are unique within a chain.',
    );
  });
  it('rejects bad id syntax', () => {
    fails([note('1a', 'x')], 'Step id "1a" must match [A-Za-z][A-Za-z0-9_]*.');
    fails([note('a-b', 'x')], 'Step id "a-b" must match [A-Za-z][A-Za-z0-9_]*.');
    fails(
      [map('m', { items: 'input.xs', steps: [note('_x', 'x')] })],
      'Step id "_x" inside "m" must match [A-Za-z][A-Za-z0-9_]*.',
    );
  });
  it('rejects something that is not a step', () => {
    fails([bad(null)], 'Step #1 is not a step object.');
    fails([parallel('p', { one: [note('a', 'x'), bad('oops')] })], 'Step #2 inside "p" is not a step object.');
  });
  it('rejects an unknown step type', () => {
    fails(
      [bad({ type: 'loop', id: 'x' })],
      'Step "x": unknown step type "loop"; expected one of invoke, retrieve, task, transform, parallel, choose, map, split, respond.',
    );
  });
});

describe('respond', () => {
  const answer = (id = 'answer') => respond(id, { model: HAIKU, prompt: '{{input.q}}' });
  it('must be the last top-level step', () => {
    fails(
      [answer(), note('after', 'x')],
      'Step "answer": respond must be the last top-level step, but "after" follows it.',
    );
  });
  it('may appear once', () => {
    fails([answer('a'), answer('b')], 'Step "b": a chain has at most one respond step, and "a" is one already.');
  });
  it('cannot be nested', () => {
    fails(
      [parallel('p', { one: [answer()] })],
      'Step "answer": respond must be the last top-level step; it cannot be inside "p".',
    );
    fails(
      [choose('c', [when(isTrue('input.x'), [answer()])])],
      'Step "answer": respond must be the last top-level step; it cannot be inside "c".',
    );
  });
  it('needs a prompt or messages', () => {
    fails([respond('answer', { model: HAIKU })], 'Step "answer": respond needs a prompt, messages, or both.');
    ok([respond('answer', { model: HAIKU, messages: { from: 'input.messages', last: 10 } })]);
  });
  it('checks messages', () => {
    fails(
      [respond('answer', { model: HAIKU, messages: { from: 'steps.nope' } })],
      'Step "answer": path "steps.nope" refers to step "nope", which does not exist.',
    );
    fails(
      [respond('answer', { model: HAIKU, messages: { from: '{{input.m}}' } })],
      'Step "answer": messages.from "{{input.m}}" must be a path to an array of messages.',
    );
    fails(
      [respond('answer', { model: HAIKU, messages: { from: 'input.m', last: 0 } })],
      'Step "answer": messages.last 0 must be an integer of at least 1.',
    );
  });
  it('takes no policy', () => {
    fails([bad({ ...answer(), policy: { timeoutSeconds: 5 } })], 'Step "answer": respond takes no policy.');
  });
});

describe('models and model options', () => {
  it('rejects an unknown model family', () => {
    fails(
      [invoke('a', { model: 'cohere.command-r-v1:0', prompt: 'x' })],
      'Step "a": Model "cohere.command-r-v1:0" is not supported. Supported families: Anthropic Claude (anthropic.*), Meta Llama 3 (meta.llama3*), Amazon Nova (amazon.nova*), Mistral (mistral.*), optionally behind an inference-profile prefix such as "us.".',
    );
    fails([respond('r', { model: '', prompt: 'x' })], 'Step "r": model must be a Bedrock model id.');
    ok([
      invoke('a', { model: NOVA, prompt: 'x' }),
      invoke('b', { model: 'meta.llama3-8b-instruct-v1:0', prompt: 'x' }),
    ]);
  });
  it('checks sampling options', () => {
    fails(
      [invoke('a', { model: HAIKU, prompt: 'x', maxTokens: 0 })],
      'Step "a": maxTokens 0 must be an integer of at least 1.',
    );
    fails(
      [invoke('a', { model: HAIKU, prompt: 'x', temperature: 1.5 })],
      'Step "a": temperature 1.5 must be a number from 0 to 1.',
    );
    fails(
      [invoke('a', { model: HAIKU, prompt: 'x', topP: -0.1 })],
      'Step "a": topP -0.1 must be a number from 0 to 1.',
    );
    fails(
      [invoke('a', { model: HAIKU, prompt: 'x', stopSequences: [''] })],
      'Step "a": stopSequences must be an array of non-empty strings.',
    );
    fails(
      [invoke('a', { model: HAIKU, prompt: 'x', output: bad('xml') })],
      'Step "a": output "xml" must be "text", "json" or "boolean".',
    );
    fails([invoke('a', { model: HAIKU, prompt: 'x', prefill: bad(1) })], 'Step "a": prefill must be a string.');
    fails([invoke('a', { model: HAIKU, prompt: bad(undefined) })], 'Step "a": prompt must be a template string.');
  });
});

describe('templates and value specs', () => {
  it('rewraps an invalid template', () => {
    const error = fails(
      [ask('a', 'Hi {{input.name')],
      'Step "a": invalid prompt template: Template has an unbalanced "{{" in "Hi {{input.name"; placeholders are {{path}} or {{path | json}}.',
    );
    expect(error.cause).toBeInstanceOf(Error);
    fails(
      [ask('a', '{{input.x | upper}}')],
      'Step "a": invalid prompt template: Template placeholder "{{input.x | upper}}" uses unknown filter "upper" (only "json" exists).',
    );
    fails(
      [retrieve('r', { knowledgeBaseId: 'kb', query: '{{ output.x }}' })],
      'Step "r": invalid query template: Template placeholder "{{ output.x }}" has an invalid path "output.x".',
    );
  });
  it('checks value specs', () => {
    fails(
      [transform('t', { set: { q: 'input.' } })],
      'Step "t": set.q "input." looks like a path but is not a valid one (keys are [A-Za-z_][A-Za-z0-9_]*, indices [n]).',
    );
    fails(
      [transform('t', { set: { nested: { q: 'steps.x-y' } } })],
      'Step "t": set.nested.q "steps.x-y" looks like a path but is not a valid one (keys are [A-Za-z_][A-Za-z0-9_]*, indices [n]).',
    );
    fails(
      [transform('t', { set: { list: bad(['input.a']) } })],
      'Step "t": set.list must be a path, a template, a literal (number, boolean, null) or an object.',
    );
    fails([transform('t', { set: { n: Number.NaN } })], 'Step "t": set.n must be a finite number.');
    fails([transform('t', { set: bad(['x']) })], 'Step "t": set must be an object of value specs.');
    fails(
      [task('t', { handler: 'h', input: { q: 'steps.later.x' } }), note('later', 'x')],
      'Step "t": path "steps.later.x" refers to step "later", which is not sure to have run before it.',
    );
    fails([task('t', { handler: '' })], 'Step "t": handler must be a non-empty string.');
    ok([
      transform('t', { set: { lane: 'gold', sentence: 'Answer briefly.', n: 1, yes: true, none: null, q: 'input.q' } }),
    ]);
  });
  it('checks retrieve', () => {
    fails(
      [retrieve('r', { knowledgeBaseId: 'kb', query: 'x', topK: 0 })],
      'Step "r": topK 0 must be an integer of at least 1.',
    );
    fails(
      [retrieve('r', { knowledgeBaseId: 'kb', query: 'x', topK: 2.5 })],
      'Step "r": topK 2.5 must be an integer of at least 1.',
    );
    fails(
      [retrieve('r', { knowledgeBaseId: '', query: 'x' })],
      'Step "r": knowledgeBaseId must be a non-empty string.',
    );
  });
});

describe('scope', () => {
  it('allows input and earlier steps on the path', () => {
    ok([
      ask('a', '{{input.q}}'),
      ask('b', '{{steps.a.text}} {{input.q}}'),
      respond('r', { model: HAIKU, prompt: '{{steps.b.text}}' }),
    ]);
  });
  it('rejects a later step, the step itself and an unknown step', () => {
    fails(
      [ask('a', '{{steps.b.text}}'), ask('b', 'x')],
      'Step "a": path "steps.b.text" refers to step "b", which is not sure to have run before it.',
    );
    fails([ask('a', '{{steps.a.text}}')], 'Step "a": path "steps.a.text" refers to the step itself.');
    fails([ask('a', '{{steps.zz.text}}')], 'Step "a": path "steps.zz.text" refers to step "zz", which does not exist.');
    fails([transform('a', { set: { all: 'steps' } })], 'Step "a": path "steps" must name a step: steps.<id>...');
  });
  it('never lets the outside read into a branch, even after the parallel ended', () => {
    fails(
      [parallel('p', { one: [ask('inner', 'x')] }), ask('after', '{{steps.inner.text}}')],
      'Step "after": path "steps.inner.text" refers to step "inner", which is not sure to have run before it. It runs inside "p": read "steps.p" instead.',
    );
    ok([parallel('p', { one: [ask('inner', 'x')] }), ask('after', '{{steps.p.one.text}}')]);
  });
  it('lets a branch read its own earlier steps but not a sibling branch', () => {
    ok([ask('a', 'x'), parallel('p', { one: [ask('b', '{{steps.a.text}}'), ask('c', '{{steps.b.text}}')] })]);
    fails(
      [parallel('p', { one: [ask('b', 'x')], two: [ask('c', '{{steps.b.text}}')] })],
      'Step "c": path "steps.b.text" refers to step "b", which is not sure to have run before it.',
    );
    fails(
      [parallel('p', { one: [ask('b', '{{steps.p.one}}')] })],
      'Step "b": path "steps.p.one" refers to step "p", which is not sure to have run before it.',
    );
  });
  it('scopes choose cases and otherwise', () => {
    ok([
      invoke('a', { model: HAIKU, prompt: 'x', output: 'boolean' }),
      choose('c', [when(isTrue('steps.a.value'), [ask('b', '{{steps.a.text}}')])], [ask('o', 'y')]),
      ask('d', '{{steps.c.text}}'),
    ]);
    fails(
      [choose('c', [when(isTrue('input.x'), [ask('b', 'x')])], [ask('o', '{{steps.b.text}}')])],
      'Step "o": path "steps.b.text" refers to step "b", which is not sure to have run before it.',
    );
    fails(
      [choose('c', [when(isTrue('steps.c.value'), [ask('b', 'x')])])],
      'Step "c": path "steps.c.value" refers to the step itself.',
    );
    fails(
      [choose('c', [when(isTrue('input.x'), [ask('b', 'x')])]), ask('d', '{{steps.b.text}}')],
      'Step "d": path "steps.b.text" refers to step "b", which is not sure to have run before it. It runs inside "c": read "steps.c" instead.',
    );
  });
  it('puts item and index in scope inside a map only, nested maps included', () => {
    ok([
      map('m', {
        items: 'input.docs',
        steps: [
          ask('a', '{{item.title}} #{{index}}'),
          map('inner', { items: 'item.sections', steps: [ask('b', '{{item.text}} {{steps.a.text}}')] }),
        ],
      }),
      ask('after', '{{steps.m | json}}'),
    ]);
    fails(
      [ask('a', '{{item.title}}')],
      'Step "a": path "item.title" uses "item", which is only in scope inside a map.',
    );
    fails(
      [transform('a', { set: { i: 'index' } })],
      'Step "a": path "index" uses "index", which is only in scope inside a map.',
    );
    fails(
      [map('m', { items: 'item.list', steps: [ask('a', 'x')] })],
      'Step "m": path "item.list" uses "item", which is only in scope inside a map.',
    );
    fails(
      [map('m', { items: 'input.xs', steps: [ask('a', 'x')] }), ask('b', '{{steps.a.text}}')],
      'Step "b": path "steps.a.text" refers to step "a", which is not sure to have run before it. It runs inside "m": read "steps.m" instead.',
    );
  });
  it('scopes split variants', () => {
    ok([
      split('s', {
        a: { weight: 1, steps: [ask('x', 'x'), ask('y', '{{steps.x.text}}')] },
        b: { weight: 2, steps: [] },
      }),
      ask('z', '{{steps.s.variant}}'),
    ]);
    fails(
      [
        split('s', {
          a: { weight: 1, steps: [ask('x', 'x')] },
          b: { weight: 1, steps: [ask('y', '{{steps.x.text}}')] },
        }),
      ],
      'Step "y": path "steps.x.text" refers to step "x", which is not sure to have run before it.',
    );
  });
  it('lets a catch fallback see what the step could see, not its output', () => {
    const policy = (fallback: Step[]): StepPolicy => ({ catch: { errors: ['States.ALL'], fallback } });
    ok([
      ask('a', 'x'),
      invoke('b', {
        model: HAIKU,
        prompt: 'y',
        policy: policy([ask('f1', '{{steps.a.text}}'), ask('f2', '{{steps.f1.text}}')]),
      }),
    ]);
    fails(
      [invoke('b', { model: HAIKU, prompt: 'y', policy: policy([ask('f', '{{steps.b.text}}')]) })],
      'Step "f": path "steps.b.text" refers to step "b", which is not sure to have run before it.',
    );
    fails(
      [invoke('b', { model: HAIKU, prompt: 'y', policy: policy([ask('f', 'x')]) }), ask('c', '{{steps.f.text}}')],
      'Step "c": path "steps.f.text" refers to step "f", which is not sure to have run before it. It runs inside "b": read "steps.b" instead.',
    );
    ok([
      map('m', {
        items: 'input.xs',
        steps: [invoke('b', { model: HAIKU, prompt: 'y', policy: policy([ask('f', '{{item}}')]) })],
      }),
    ]);
  });
  it('checks map.items', () => {
    fails(
      [map('m', { items: '{{input.xs}}', steps: [ask('a', 'x')] })],
      'Step "m": items "{{input.xs}}" must be a path to an array (input.x, steps.<id>.x, item.x), not a template.',
    );
    fails(
      [map('m', { items: 'steps.later.xs', steps: [ask('a', 'x')] }), ask('later', 'x')],
      'Step "m": path "steps.later.xs" refers to step "later", which is not sure to have run before it.',
    );
  });
  it('lets chain.output see all top-level steps', () => {
    ok([ask('a', 'x'), respond('r', { model: HAIKU, prompt: 'y' })], {
      output: { a: 'steps.a.text', r: 'steps.r.text', q: 'input.q' },
    });
    fails(
      [parallel('p', { one: [ask('a', 'x')] })],
      'Chain "test" output: path "steps.a.text" refers to step "a", which is not sure to have run before it. It runs inside "p": read "steps.p" instead.',
      {
        output: { a: 'steps.a.text' },
      },
    );
    fails([ask('a', 'x')], 'Chain "test" output: path "item" uses "item", which is only in scope inside a map.', {
      output: { i: 'item' },
    });
    fails([ask('a', 'x')], 'Chain "test" output: must be an object of value specs.', { output: bad('steps.a') });
  });
});

describe('containers', () => {
  it('rejects an empty parallel or branch', () => {
    fails([parallel('p', {})], 'Step "p": a parallel step needs at least one branch.');
    fails([parallel('p', { one: [] })], 'Step "p": branch "one" has no steps; a branch needs at least one.');
    fails(
      [parallel('p', { 'bad-name': [ask('a', 'x')] })],
      'Step "p": branch name "bad-name" must match [A-Za-z][A-Za-z0-9_]*.',
    );
  });
  it('rejects an empty choose and malformed cases', () => {
    fails([choose('c', [])], 'Step "c": a choose step needs at least one case (when(condition, steps)).');
    fails(
      [choose('c', [bad({ when: isTrue('input.x') })])],
      'Step "c": case #1 must be made by when(condition, steps).',
    );
    fails([choose('c', [when(isTrue('input.x'), [])], bad('x'))], 'Step "c": otherwise must be an array of steps.');
  });
  it('checks map options', () => {
    fails(
      [map('m', { items: 'input.xs', maxConcurrency: -1, steps: [ask('a', 'x')] })],
      'Step "m": maxConcurrency -1 must be an integer of at least 0.',
    );
    fails(
      [map('m', { items: 'input.xs', maxConcurrency: 1.5, steps: [ask('a', 'x')] })],
      'Step "m": maxConcurrency 1.5 must be an integer of at least 0.',
    );
    fails(
      [map('m', { items: 'input.xs', steps: [] })],
      'Step "m": a map step needs at least one step to run for each item.',
    );
    ok([map('m', { items: 'input.xs', maxConcurrency: 0, steps: [ask('a', 'x')] })]);
  });
  it('checks split variants and weights', () => {
    fails([split('s', {})], 'Step "s": a split step needs at least one variant.');
    for (const weight of [0, -1, Number.POSITIVE_INFINITY, Number.NaN]) {
      fails(
        [split('s', { a: { weight, steps: [] } })],
        `Step "s": variant "a" has weight ${weight}; a weight is a positive number.`,
      );
    }
    fails([split('s', { a: bad({ weight: 1 }) })], 'Step "s": variant "a" must be { weight, steps }.');
    fails(
      [split('s', { 'a b': { weight: 1, steps: [] } })],
      'Step "s": variant name "a b" must match [A-Za-z][A-Za-z0-9_]*.',
    );
  });
});

describe('conditions', () => {
  const route = (condition: Condition) => [choose('c', [when(condition, [ask('a', 'x')])])];
  it('accepts every operator', () => {
    ok(route(and(eq('input.a', 'x'), or(gt('input.n', 3), not(exists('input.h'))), matches('input.e', '*@x.com'))));
    ok(route(eq('input.a', null)));
  });
  it('checks operators, paths and values', () => {
    fails(route(bad({ op: 'between', path: 'input.a' })), 'Step "c": case #1: unknown condition "between".');
    fails(
      route(bad('input.a')),
      'Step "c": case #1: the condition must be made by eq, gt, isTrue, matches, and, or, not, ...',
    );
    fails(route(isTrue('input.')), 'Step "c": case #1: condition path "input." is not a valid path.');
    fails(
      route(isTrue('steps.a.value')),
      'Step "c": path "steps.a.value" refers to step "a", which is not sure to have run before it.',
    );
    fails(route(and()), 'Step "c": case #1: and() needs at least one condition.');
    fails(route(or()), 'Step "c": case #1: or() needs at least one condition.');
    fails(route(not(isTrue('item'))), 'Step "c": path "item" uses "item", which is only in scope inside a map.');
    fails(
      route(bad({ op: 'gt', path: 'input.n', value: true })),
      'Step "c": case #1: gt("input.n") compares with a number or a string.',
    );
    fails(
      route(bad({ op: 'eq', path: 'input.n', value: {} })),
      'Step "c": case #1: eq("input.n") compares with a string, number, boolean or null.',
    );
    fails(
      route(bad({ op: 'matches', path: 'input.n' })),
      'Step "c": case #1: matches("input.n") needs a string pattern.',
    );
  });
});

describe('policies', () => {
  const withPolicy = (policy: unknown) => [invoke('a', { model: HAIKU, prompt: 'x', policy: bad(policy) })];
  it('accepts the error name shapes', () => {
    ok(withPolicy({ retry: { errors: ['States.ALL'] } }));
    ok(
      withPolicy({
        retry: {
          errors: [
            'States.TaskFailed',
            'States.Timeout',
            'Bedrock.ThrottlingException',
            'OrderNotFound',
            'my_app.Error',
          ],
        },
      }),
    );
  });
  it('rejects unknown error name shapes', () => {
    fails(
      withPolicy({ retry: { errors: ['Not a name'] } }),
      'Step "a": policy.retry.errors has "Not a name", which is not an error name (States.X, Bedrock.<Exception>, or a handler error name [A-Za-z][A-Za-z0-9_.]*).',
    );
    fails(
      withPolicy({ catch: { errors: ['States.'], fallback: [] } }),
      'Step "a": policy.catch.errors has "States.", which is not an error name (States.X, Bedrock.<Exception>, or a handler error name [A-Za-z][A-Za-z0-9_.]*).',
    );
    fails(
      withPolicy({ retry: { errors: [] } }),
      'Step "a": policy.retry.errors must be a non-empty array of error names.',
    );
    fails(
      withPolicy({ retry: { errors: ['States.Timeout', 'States.ALL'] } }),
      'Step "a": policy.retry.errors: States.ALL must stand alone.',
    );
  });
  it('checks retry numbers within Step Functions bounds', () => {
    const retry = (extra: object) => withPolicy({ retry: { errors: ['States.ALL'], ...extra } });
    fails(retry({ maxAttempts: -1 }), 'Step "a": policy.retry.maxAttempts -1 must be an integer from 0 to 99999999.');
    fails(retry({ maxAttempts: 1.5 }), 'Step "a": policy.retry.maxAttempts 1.5 must be an integer from 0 to 99999999.');
    fails(
      retry({ maxAttempts: 100_000_000 }),
      'Step "a": policy.retry.maxAttempts 100000000 must be an integer from 0 to 99999999.',
    );
    fails(
      retry({ intervalSeconds: 0 }),
      'Step "a": policy.retry.intervalSeconds 0 must be an integer from 1 to 99999999.',
    );
    fails(
      retry({ intervalSeconds: 0.5 }),
      'Step "a": policy.retry.intervalSeconds 0.5 must be an integer from 1 to 99999999.',
    );
    fails(
      retry({ maxDelaySeconds: 0 }),
      'Step "a": policy.retry.maxDelaySeconds 0 must be an integer from 1 to 31622400.',
    );
    fails(
      retry({ maxDelaySeconds: 31_622_401 }),
      'Step "a": policy.retry.maxDelaySeconds 31622401 must be an integer from 1 to 31622400.',
    );
    fails(retry({ backoffRate: 0.5 }), 'Step "a": policy.retry.backoffRate 0.5 must be a number of at least 1.');
    fails(retry({ jitter: 'SOME' }), 'Step "a": policy.retry.jitter "SOME" must be "FULL" or "NONE".');
    ok(retry({ maxAttempts: 0, intervalSeconds: 1, backoffRate: 1, maxDelaySeconds: 1, jitter: 'FULL' }));
    ok(retry({ maxAttempts: 99_999_999, intervalSeconds: 99_999_999, maxDelaySeconds: 31_622_400 }));
  });
  it('checks timeouts and shapes', () => {
    fails(
      withPolicy({ timeoutSeconds: 0 }),
      'Step "a": policy.timeoutSeconds 0 must be an integer from 1 to 99999999.',
    );
    fails(
      withPolicy({ timeoutSeconds: 2.5 }),
      'Step "a": policy.timeoutSeconds 2.5 must be an integer from 1 to 99999999.',
    );
    fails(
      withPolicy({ timeoutSeconds: 100_000_000 }),
      'Step "a": policy.timeoutSeconds 100000000 must be an integer from 1 to 99999999.',
    );
    fails(withPolicy('fast'), 'Step "a": policy must be an object { retry?, catch?, timeoutSeconds? }.');
    fails(withPolicy({ retry: 3 }), 'Step "a": policy.retry must be an object.');
    fails(
      withPolicy({ catch: { errors: ['States.ALL'] } }),
      'Step "a": policy.catch must be { errors, fallback: Step[] }.',
    );
  });
  it('checks fallback steps like any others', () => {
    fails(
      withPolicy({ catch: { errors: ['States.ALL'], fallback: [ask('f', '{{item}}')] } }),
      'Step "f": path "item" uses "item", which is only in scope inside a map.',
    );
  });
});

describe('keys that Step Functions reserves', () => {
  const reserved = (field: string, key: string) =>
    `${field}: the key "${key}" ends with ".$", which Step Functions reserves for paths and intrinsic functions; rename the key.`;
  it('refuses a transform key ending with .$, at any depth', () => {
    fails([transform('t', { set: { 'a.$': 'x' } })], `Step "t": ${reserved('set.a.$', 'a.$')}`);
    fails([transform('t', { set: { a: { 'b.$': 'input.x' } } })], `Step "t": ${reserved('set.a.b.$', 'b.$')}`);
  });
  it('refuses a task input key ending with .$', () => {
    fails([task('t', { handler: 'h', input: { 'q.$': 'input.q' } })], `Step "t": ${reserved('input.q.$', 'q.$')}`);
  });
  it('refuses a chain output key ending with .$', () => {
    fails([note('a', 'x')], `Chain "test" output: ${reserved('output.v.$', 'v.$')}`, { output: { 'v.$': 'steps.a' } });
  });
  it('accepts keys that only contain .$ or $', () => {
    ok([transform('t', { set: { 'a.$b': 'x', $: 'y', '.$x': 'z', '': 'empty' } })]);
  });
});
