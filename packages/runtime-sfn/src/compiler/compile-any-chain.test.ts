import {
  ChainDefinitionError,
  type Condition,
  choose,
  defineChain,
  eq,
  gt,
  invoke,
  map,
  matches,
  ne,
  not,
  or,
  parallel,
  respond,
  retrieve,
  type Step,
  type StepPolicy,
  split,
  task,
  transform,
  type ValueSpec,
  when,
} from '@stepwise/core';
import { validateDefinition } from '@stepwise/emulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AslJson, AslState, AslStateMachine } from './asl-types';
import { compileChain } from './compile-chain';
import { MAX_INTRINSIC_CALLS } from './compile-template';
import { countIntrinsicCalls, expressionFields, illegalIntrinsicEscapes } from './intrinsic-calls';

const MODELS = [
  'anthropic.claude-3-haiku-20240307-v1:0',
  'us.amazon.nova-lite-v1:0',
  'meta.llama3-8b-instruct-v1:0',
  'mistral.mistral-7b-instruct-v0:2',
];

/** Text a user can write: reserved characters, escapes, control characters, emoji, chat tokens, nothing at all. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "'",
      '"',
      '{',
      '}',
      '\\',
      '\\\\',
      '\\"',
      '\n',
      '\r\n',
      '\t',
      '\u0000',
      '\u0007',
      '\u001f',
      '\u2028',
      '😀',
      '𝄞',
      '$',
      '$.input',
      '.$',
      'States.Format(',
      '{%',
      '%}',
      '\n\nHuman:',
      '<|eot_id|>',
      '[INST]',
      '</s>',
      '*',
      ' ',
    ),
    fc.string({ maxLength: 3 }),
  ),
  maxLength: 30,
});

const placeholder = fc.constantFrom('{{input.a}}', '{{input.b | json}}', '{{input.list | json}}', '{{input.n}}');
/**
 * A template: user text and placeholders, sometimes many `| json` ones (more than one field can take alone), and
 * sometimes invalid (which defineChain must refuse).
 */
const template = fc.oneof(
  fc.array(fc.oneof(text, placeholder), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
  // Braces next to a placeholder make a template invalid: these keep them apart, to compile many placeholders.
  fc
    .array(
      fc.oneof(
        text.map((part) => `(${part.replace(/[{}]/g, '')})`),
        placeholder,
        placeholder,
      ),
      {
        minLength: 8,
        maxLength: 24,
      },
    )
    .map((parts) => parts.join('')),
);
const inMapTemplate = fc
  .array(fc.oneof(text, placeholder, fc.constantFrom('{{item}}', '{{index}}', '{{item | json}}')), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

const valueSpec: fc.Arbitrary<ValueSpec> = fc.letrec<{ spec: ValueSpec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: 'small' },
    template,
    text,
    fc.constantFrom('input.a', 'input.b', 'input.list[0]', 'input.a.b[2].c'),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.dictionary(text, tie('spec'), { maxKeys: 3 }),
  ),
})).spec;

const errorNames = fc
  .oneof(
    {
      arbitrary: fc.constantFrom(
        ['States.ALL'],
        ['States.TaskFailed'],
        ['States.Timeout', 'Bedrock.ThrottlingException'],
        ['HandlerError'],
      ),
      weight: 9,
    },
    { arbitrary: fc.constant(['not a name']), weight: 1 },
  )
  .map((names): string[] => [...names]);

const policy: fc.Arbitrary<StepPolicy | undefined> = fc.option(
  fc.record(
    {
      retry: fc.record({ errors: errorNames, maxAttempts: fc.integer({ min: 0, max: 3 }) }),
      catch: fc.record({ errors: errorNames, fallback: fc.constant([] as Step[]) }),
      timeoutSeconds: fc.integer({ min: 1, max: 120 }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.tuple(text).map(([value]) => eq('input.a', value)),
  fc.tuple(text).map(([value]) => ne('input.a', value)),
  fc.tuple(text).map(([pattern]) => matches('input.a', pattern)),
  fc.integer().map((value) => gt('input.n', value)),
  fc.tuple(text, text).map(([a, b]) => or(eq('input.a', a), not(eq('input.a', b)))),
);

interface Shape {
  kind: 'invoke' | 'retrieve' | 'task' | 'transform' | 'parallel' | 'choose' | 'map' | 'split';
  children: Shape[][];
}

const shape: fc.Arbitrary<Shape[]> = fc.letrec<{ steps: Shape[]; step: Shape }>((tie) => ({
  steps: fc.array(tie('step'), { minLength: 1, maxLength: 3 }),
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constantFrom('invoke', 'retrieve', 'task', 'transform') as fc.Arbitrary<Shape['kind']>,
      children: fc.constant<Shape[][]>([]),
    }),
    fc.record({
      kind: fc.constantFrom('parallel', 'choose', 'map', 'split') as fc.Arbitrary<Shape['kind']>,
      children: fc.array(tie('steps'), { minLength: 1, maxLength: 2 }),
    }),
  ),
})).steps;

/** Everything random a chain needs besides its shape, drawn once per run. */
const details = fc.record({
  texts: fc.array(template, { minLength: 8, maxLength: 8 }),
  inMap: fc.array(inMapTemplate, { minLength: 2, maxLength: 2 }),
  values: fc.array(fc.dictionary(text, valueSpec, { minKeys: 1, maxKeys: 3 }), { minLength: 2, maxLength: 2 }),
  models: fc.array(fc.constantFrom(...MODELS), { minLength: 2, maxLength: 2 }),
  output: fc.constantFrom('text', 'json', 'boolean') as fc.Arbitrary<'text' | 'json' | 'boolean'>,
  prefill: fc.option(text, { nil: undefined }),
  stops: fc.option(
    fc.array(
      text.filter((stop) => stop !== ''),
      { maxLength: 3 },
    ),
    { nil: undefined },
  ),
  topK: fc.integer({ min: 0, max: 120 }),
  policies: fc.array(policy, { minLength: 3, maxLength: 3 }),
  conditions: fc.array(condition, { minLength: 2, maxLength: 2 }),
  weights: fc.array(fc.double({ min: 0.001, max: 10, noNaN: true }), { minLength: 2, maxLength: 2 }),
  chainOutput: fc.option(fc.dictionary(text, valueSpec, { maxKeys: 3 }), { nil: undefined }),
  respond: fc.boolean(),
  description: fc.option(text, { nil: undefined }),
});

type Details = typeof details extends fc.Arbitrary<infer T> ? T : never;

function build(shapes: Shape[], d: Details, ids: { next: number }, inMap: boolean): Step[] {
  return shapes.map((s, index) => {
    const id = `s${ids.next++}`;
    const pick = <T>(list: T[]) => list[(ids.next + index) % list.length]!;
    const prompt = inMap ? pick(d.inMap) : pick(d.texts);
    const withPolicy = (step: Step): Step => {
      const p = pick(d.policies);
      return p && step.type !== 'respond' ? ({ ...step, policy: p } as Step) : step;
    };
    switch (s.kind) {
      case 'invoke':
        return withPolicy(
          invoke(id, {
            model: pick(d.models),
            prompt,
            system: pick(d.texts),
            output: d.output,
            ...(d.prefill !== undefined ? { prefill: d.prefill } : {}),
            ...(d.stops !== undefined ? { stopSequences: d.stops } : {}),
          }),
        );
      case 'retrieve':
        return withPolicy(retrieve(id, { knowledgeBaseId: 'KB1', query: prompt, topK: d.topK }));
      case 'task':
        return withPolicy(task(id, { handler: 'h', input: pick(d.values) }));
      case 'transform':
        return transform(id, { set: pick(d.values) });
      case 'parallel':
        return withPolicy(
          parallel(id, Object.fromEntries(s.children.map((branch, n) => [`b${n}`, build(branch, d, ids, inMap)]))),
        );
      case 'choose':
        return withPolicy(
          choose(
            id,
            s.children.map((branch, n) => when(d.conditions[n % 2]!, build(branch, d, ids, inMap))),
            [],
          ),
        );
      case 'map':
        return withPolicy(map(id, { items: 'input.list', steps: build(s.children[0]!, d, ids, true) }));
      case 'split':
        return withPolicy(
          split(
            id,
            Object.fromEntries(
              s.children.map((branch, n) => [
                `v${n}`,
                { weight: d.weights[n % 2]!, steps: build(branch, d, ids, inMap) },
              ]),
            ),
          ),
        );
    }
    throw new Error(`unknown shape ${s.kind}`);
  });
}

function forEachState(machine: { States: Record<string, AslState> }, visit: (name: string) => void): void {
  for (const [name, state] of Object.entries(machine.States)) {
    visit(name);
    for (const branch of (state.Branches as unknown as AslStateMachine[] | undefined) ?? [])
      forEachState(branch, visit);
    const processor = state.ItemProcessor as unknown as AslStateMachine | undefined;
    if (processor) forEachState(processor, visit);
  }
}

describe('whatever defineChain accepts, compileChain compiles to a definition Step Functions accepts', () => {
  it('for random chains of every step kind, nested, with awkward strings everywhere', () => {
    let compiled = 0;
    fc.assert(
      fc.property(shape, details, (shapes, d) => {
        const steps = build(shapes, d, { next: 0 }, false);
        if (d.respond) {
          steps.push(
            respond('answer', {
              model: d.models[0]!,
              system: d.texts[0]!,
              prompt: d.texts[1]!,
              messages: { from: 'input.history', last: 2 },
              ...(d.stops !== undefined ? { stopSequences: d.stops } : {}),
            }),
          );
        }
        let chain: ReturnType<typeof defineChain>;
        try {
          chain = defineChain({
            name: 'fuzz',
            steps,
            ...(d.chainOutput !== undefined ? { output: d.chainOutput } : {}),
            ...(d.description !== undefined ? { description: d.description } : {}),
          });
        } catch (error) {
          // Refused at definition time, with the error that says why.
          expect(ChainDefinitionError.isInstance(error), String(error)).toBe(true);
          return;
        }
        const definition = compileChain(chain);
        compiled++;
        const json = JSON.stringify(definition);
        expect(json.length).toBeLessThan(1_048_576);
        expect(validateDefinition(json, { type: 'EXPRESS' })).toEqual({ result: 'OK', diagnostics: [] });
        for (const field of expressionFields(definition as unknown as AslJson)) {
          expect(countIntrinsicCalls(field.expression), field.at).toBeLessThanOrEqual(MAX_INTRINSIC_CALLS);
          expect(illegalIntrinsicEscapes(field.expression), field.at).toEqual([]);
        }
        const names: string[] = [];
        forEachState(definition, (name) => names.push(name));
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) expect(name.length).toBeLessThanOrEqual(80);
      }),
      { numRuns: 300 },
    );
    // The generator must not be so awkward that every chain is refused.
    expect(compiled).toBeGreaterThan(150);
  });

  it('refuses keys that end in .$ at definition time, as the compiler could not write them', () => {
    for (const steps of [
      [transform('t', { set: { 'a.$': 'x' } })],
      [task('t', { handler: 'h', input: { nested: { 'b.$': 'input.a' } } })],
    ]) {
      expect(() => defineChain({ name: 'keys', steps })).toThrow(ChainDefinitionError);
    }
    expect(() =>
      defineChain({ name: 'keys', steps: [transform('t', { set: {} })], output: { 'c.$': 'input.a' } }),
    ).toThrow(/reserves for paths and intrinsic functions/);
  });
});
