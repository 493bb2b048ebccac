import {
  defineChain,
  invoke,
  parseTemplate,
  renderTemplate,
  respond,
  retrieve,
  type Step,
  task,
  transform,
} from '@stepwise/core';
import { executeStateMachine } from '@stepwise/emulator';
import { fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AslJson, AslStateMachine } from './asl-types';
import { compileChain } from './compile-chain';
import { MAX_INTRINSIC_CALLS } from './compile-template';
import { executionInput } from './execution-input';
import { countIntrinsicCalls, expressionFields } from './intrinsic-calls';
import type { ExecutionOutput } from './respond-request';
import { runBoth } from './run-both';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';

/** The largest intrinsic count of any field of a compiled definition. */
function largestField(definition: AslStateMachine): number {
  return Math.max(
    0,
    ...expressionFields(definition as unknown as AslJson).map((field) => countIntrinsicCalls(field.expression)),
  );
}

function withoutMessage<T extends object>(result: T): Omit<T, 'message'> {
  const { message: _message, ...rest } = result as T & { message?: unknown };
  return rest;
}

/** A template of `count` `| json` placeholders, with backslash runs and reserved characters between them. */
function heavy(count: number, path = 'input.v'): string {
  let template = "Start 'q' \\ {";
  for (let index = 0; index < count; index++) template += ` \\\\${index} {{${path} | json}} } \\`;
  return `${template} {{input.s}} end`;
}

const input = { v: { a: ['x', "y'z"], b: 'C:\\dir {1}' }, s: 'plain' };

describe('countIntrinsicCalls counts calls as Step Functions does', () => {
  it('counts nested calls and nothing inside strings', () => {
    expect(countIntrinsicCalls('$.a')).toBe(0);
    expect(countIntrinsicCalls("States.Format('{}', States.JsonToString($.a))")).toBe(2);
    expect(countIntrinsicCalls("States.Format('States.Format( \\' States.Array(', $.a)")).toBe(1);
    expect(
      countIntrinsicCalls(
        "States.ArrayGetItem(States.Array(States.StringToJson($.t), States.StringToJson(States.ArrayGetItem(States.StringSplit(States.Format('{}', States.ArrayContains(States.Array(true, false), States.StringToJson($.t))), 'a'), 0))), 0)",
      ),
    ).toBe(10);
  });
});

describe('no field of a compiled definition has more than 10 intrinsic calls', () => {
  it('a boolean invoke with a prefill checks its answer in a Pass after the call', async () => {
    const chain = defineChain({
      name: 'boolean-prefill',
      steps: [invoke('yes', { model: HAIKU, prompt: 'True? {{input.s}}', prefill: "t \\ '{", output: 'boolean' })],
    });
    const definition = compileChain(chain);
    expect(largestField(definition)).toBeLessThanOrEqual(MAX_INTRINSIC_CALLS);
    expect(Object.keys(definition.States)).toEqual(['Yes', 'Yes.Check', 'Yes.Failed', 'Output']);
    // Without a prefill the check stays in the ResultSelector: no extra state.
    const plain = defineChain({
      name: 'boolean',
      steps: [invoke('yes', { model: HAIKU, prompt: 'True? {{input.s}}', output: 'boolean' })],
    });
    expect(Object.keys(compileChain(plain).States)).toEqual(['Yes', 'Yes.Failed', 'Output']);
    expect(largestField(compileChain(plain))).toBe(MAX_INTRINSIC_CALLS);

    const prefilled = (prefill: string) =>
      defineChain({
        name: 'boolean-prefill',
        steps: [invoke('yes', { model: HAIKU, prompt: 'True?', prefill, output: 'boolean' })],
      });
    for (const [prefill, answer] of [
      ['t', 'rue'],
      [' ', 'false '],
      ['', 'true'],
    ] as const) {
      const { local, asl } = await runBoth(prefilled(prefill), {}, { models: { byStep: { yes: answer } } });
      expect(local, `${prefill}|${answer}`).toMatchObject({ ok: true });
      expect(asl).toEqual(local);
    }
    for (const [prefill, answer] of [
      ['1', '2'],
      ['"t', 'rue"'],
      ['{', '}'],
    ] as const) {
      const { local, asl } = await runBoth(prefilled(prefill), {}, { models: { byStep: { yes: answer } } });
      expect(local).toMatchObject({ ok: false, error: 'States.Runtime', stepId: 'yes' });
      expect(asl).toMatchObject({ ok: false, error: 'States.Runtime', stepId: 'yes' });
    }
  });

  it('templates full of | json placeholders and backslashes, in every field that takes one', async () => {
    const kb = memoryKnowledgeBase([{ text: 'Doc about plain things', source: 's3://d' }]);
    const steps: Step[] = [
      transform('shaped', { set: { text: heavy(14), nested: { deeper: heavy(11) } } }),
      invoke('claude', { model: HAIKU, system: heavy(6), prompt: heavy(12) }),
      invoke('nova', { model: NOVA, system: heavy(10), prompt: heavy(10) }),
      invoke('llama', { model: LLAMA, system: heavy(5), prompt: heavy(7) }),
      retrieve('docs', { knowledgeBaseId: 'KB', query: heavy(11, 'input.s') }),
      task('call', { handler: 'echo', input: { a: heavy(13), b: 'input.s' } }),
    ];
    const chain = defineChain({
      name: 'heavy',
      steps,
      output: { all: heavy(16), claude: 'steps.claude.text' },
    });
    expect(largestField(compileChain(chain))).toBeLessThanOrEqual(MAX_INTRINSIC_CALLS);
    // Mistral: its system prompt is part of the first user turn on the wire, and its InvokeModel answer has no
    // token counts (known gaps), so it is compiled here but not compared.
    const mistral = defineChain({
      name: 'heavy-mistral',
      steps: [invoke('mistral', { model: MISTRAL, system: heavy(12), prompt: heavy(3) })],
    });
    expect(largestField(compileChain(mistral))).toBeLessThanOrEqual(MAX_INTRINSIC_CALLS);
    const { local, asl } = await runBoth(chain, input, {
      models: { default: { echo: true } },
      knowledgeBases: { KB: kb },
      handlers: { echo: (value) => value },
    });
    expect(local).toMatchObject({ ok: true });
    expect(asl).toEqual(local);
  });

  it('a respond step with heavy templates renders its request within the limit', async () => {
    const chain = defineChain({
      name: 'heavy-respond',
      steps: [respond('answer', { model: HAIKU, system: heavy(12), prompt: heavy(11, 'input.s') })],
    });
    const definition = compileChain(chain);
    expect(largestField(definition)).toBeLessThanOrEqual(MAX_INTRINSIC_CALLS);
    const outcome = await executeStateMachine(definition as never, executionInput(input), {
      models: fakeModels({}),
      knowledgeBases: {},
      handlers: {},
    });
    expect(outcome.status).toBe('SUCCEEDED');
    const { respond: request } = JSON.parse((outcome as { output: string }).output) as ExecutionOutput;
    const state = { input, steps: {} };
    expect(request?.system).toBe(renderTemplate(heavy(12), state));
    expect(request?.prompt).toBe(renderTemplate(heavy(11, 'input.s'), state));
  });

  it('whatever the prompt: random templates of placeholders, backslashes and reserved characters', async () => {
    const piece = fc.oneof(
      fc.constantFrom('{{input.v | json}}', '{{input.s}}', '{{input.n}}', '\\', '\\\\\\', "'", '{', '}', '\n', '🚀'),
      fc.string({ maxLength: 4 }).filter((text) => !text.includes('{') && !text.includes('}')),
    );
    const template = fc
      .array(piece, { minLength: 1, maxLength: 40 })
      .map((pieces) => pieces.join(''))
      .filter((text) => {
        try {
          parseTemplate(text);
          return true;
        } catch {
          return false;
        }
      });
    await fc.assert(
      fc.asyncProperty(
        template,
        template,
        fc.constantFrom(HAIKU, NOVA, LLAMA),
        fc.option(fc.constantFrom('t', "'t", '\\'), { nil: undefined }),
        async (prompt, system, model, prefill) => {
          const chain = defineChain({
            name: 'random-heavy',
            steps: [
              transform('t', { set: { a: prompt, b: system } }),
              invoke('ask', { model, system, prompt }),
              invoke('check', {
                model: HAIKU,
                prompt,
                output: 'boolean',
                ...(prefill !== undefined ? { prefill } : {}),
              }),
            ],
          });
          const definition = compileChain(chain);
          expect(largestField(definition)).toBeLessThanOrEqual(MAX_INTRINSIC_CALLS);
          const answer = prefill === 't' ? 'rue' : 'true';
          const { local, asl } = await runBoth(
            chain,
            { ...input, n: 2.5 },
            { models: { byStep: { ask: { echo: true }, check: answer } } },
          );
          // Failures (a blank prompt Bedrock refuses) compare by error and step; messages are each runtime's own.
          expect(withoutMessage(asl)).toEqual(withoutMessage(local));
        },
      ),
      { numRuns: 40 },
    );
  });
});
