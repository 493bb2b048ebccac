import { defineChain } from '../chain/define-chain';
import { eq } from '../condition/builders';
import { choose, when } from '../steps/choose';
import { invoke } from '../steps/invoke';
import { map } from '../steps/map';
import { parallel } from '../steps/parallel';
import { respond } from '../steps/respond';
import { split } from '../steps/split';
import { task } from '../steps/task';
import { transform } from '../steps/transform';
import type { ConformanceCase } from './conformance-case';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

/** A task that always fails with `errorName`. */
const broken = (id: string, errorName: string, policy?: object) =>
  task(id, { handler: 'fail', input: { errorName, message: `${id} failed.` }, ...(policy ? { policy } : {}) });

/** What the echoing `quote` step of `invoke-output-key-order` answers: both outputs, keys in DESIGN.md's order. */
const QUOTED =
  '{"text":"{\\"b\\":1,\\"a\\":[true]}","value":{"b":1,"a":[true]},"usage":{"inputTokens":4,"outputTokens":15}} ' +
  '{"text":"false","value":false,"usage":{"inputTokens":2,"outputTokens":1}}';

const BACKUP = { text: 'Hi.', usage: { inputTokens: 2, outputTokens: 2 } };

const failed = (error: string, stepId?: string) => ({
  error: { name: 'StepFailedError', error, ...(stepId !== undefined ? { stepId } : {}) },
});

/**
 * Conformance cases for "one failure, one meaning" (decision 0005): a failed run reports the same ASL error name
 * and the same step on every runtime, the innermost step that failed; never an enclosing `parallel`, `map` or
 * `choose`, never an earlier step that was retried or caught, and a fallback's error as the fallback step's. Also
 * what a chain's output and a caught invoke's usage mean around failures. Part of `conformanceCases`.
 *
 * @example
 * ```ts
 * const blame = failureCases.filter((testCase) => testCase.expect.error?.stepId !== undefined);
 * ```
 */
export const failureCases: ConformanceCase[] = [
  {
    name: 'fail-inner-parallel',
    description: 'A step inside a parallel branch fails: the run fails with its error and its id, not the parallel.',
    chain: defineChain({
      name: 'fail-inner-parallel',
      steps: [
        parallel('fan', {
          fine: [transform('shape', { set: { ok: true } })],
          bad: [transform('before', { set: { n: 1 } }), broken('charge', 'PaymentError')],
        }),
      ],
    }),
    input: {},
    models: {},
    expect: failed('PaymentError', 'charge'),
  },
  {
    name: 'fail-inner-map',
    description: 'A step inside a map iteration fails: the run fails with its error and its id, not the map.',
    chain: defineChain({
      name: 'fail-inner-map',
      steps: [map('each', { items: 'input.orders', steps: [broken('ship', 'ShippingError')] })],
    }),
    input: { orders: [{ id: 1 }, { id: 2 }] },
    models: {},
    expect: failed('ShippingError', 'ship'),
  },
  {
    name: 'fail-inner-choose',
    description: 'A step of the chosen case fails, with and without a retry on the choose: the inner step is blamed.',
    chain: defineChain({
      name: 'fail-inner-choose',
      steps: [
        choose('route', [when(eq('input.kind', 'refund'), [broken('refund', 'RefundError')])], [], {
          policy: { retry: { errors: ['OtherError'], maxAttempts: 1 } },
        }),
      ],
    }),
    input: { kind: 'refund' },
    models: {},
    expect: failed('RefundError', 'refund'),
  },
  {
    name: 'fail-inner-split',
    description: 'A step of the picked split variant fails: the inner step is blamed, not the split.',
    chain: defineChain({
      name: 'fail-inner-split',
      steps: [split('exp', { only: { weight: 1, steps: [broken('variantStep', 'VariantError')] } })],
    }),
    input: {},
    models: {},
    expect: failed('VariantError', 'variantStep'),
  },
  {
    name: 'fail-in-fallback',
    description: "A catch fallback's step fails: the run fails with the fallback step's error and id.",
    chain: defineChain({
      name: 'fail-in-fallback',
      steps: [
        invoke('ask', {
          model: HAIKU,
          prompt: 'Hello',
          policy: { catch: { errors: ['States.ALL'], fallback: [broken('rescue', 'RescueError')] } },
        }),
      ],
    }),
    input: {},
    models: { byStep: { ask: { fail: 'Bedrock.ModelTimeoutException' } } },
    expect: failed('RescueError', 'rescue'),
  },
  {
    name: 'fail-after-retries',
    description: 'A step that fails past its retries is blamed with its last error.',
    chain: defineChain({
      name: 'fail-after-retries',
      steps: [
        task('flaky', {
          handler: 'flaky',
          input: { failures: 5 },
          policy: { retry: { errors: ['FlakyError'], maxAttempts: 2, intervalSeconds: 1 } },
        }),
      ],
    }),
    input: {},
    models: {},
    tags: ['retry'],
    expect: failed('FlakyError', 'flaky'),
  },
  {
    name: 'fail-after-recovered-steps',
    description: 'Earlier steps that were retried, or caught, recover; a later step fails and is the one blamed.',
    chain: defineChain({
      name: 'fail-after-recovered-steps',
      steps: [
        task('flaky', {
          handler: 'flaky',
          input: { failures: 1 },
          policy: { retry: { errors: ['FlakyError'], maxAttempts: 2, intervalSeconds: 1 } },
        }),
        broken('caught', 'LookupError', {
          catch: { errors: ['LookupError'], fallback: [transform('defaults', { set: { tier: 'basic' } })] },
        }),
        parallel(
          'fan',
          { a: [broken('late', 'LateError')] },
          { policy: { retry: { errors: ['LateError'], maxAttempts: 1 } } },
        ),
      ],
    }),
    input: {},
    models: {},
    tags: ['retry'],
    expect: failed('LateError', 'late'),
  },
  {
    name: 'fail-uncatchable-in-branch',
    description: 'A template path missing inside a parallel branch is States.Runtime of that step, past any catch.',
    chain: defineChain({
      name: 'fail-uncatchable-in-branch',
      steps: [
        parallel(
          'fan',
          { a: [invoke('ask', { model: HAIKU, prompt: 'About {{input.missing}}' })] },
          { policy: { catch: { errors: ['States.ALL'], fallback: [] } } },
        ),
      ],
    }),
    input: {},
    models: { default: 'unused' },
    expect: failed('States.Runtime', 'ask'),
  },
  {
    name: 'fail-chain-output',
    description:
      'A chain output that cannot be built fails the run with States.Runtime, blamed on no step (a path into the ' +
      'input, which has no schema: defineChain refuses a path that the known shapes rule out).',
    chain: defineChain({
      name: 'fail-chain-output',
      steps: [transform('shape', { set: { a: 1 } })],
      output: { b: 'input.b' },
    }),
    input: {},
    models: {},
    expect: failed('States.Runtime'),
  },
  {
    name: 'chain-output-reads-respond',
    description: "A chain output may read the respond step's answer: it is built after the answer streams.",
    chain: defineChain({
      name: 'chain-output-reads-respond',
      steps: [transform('prep', { set: { topic: 'input.topic' } }), respond('answer', { model: SONNET, prompt: 'Go' })],
      output: { topic: 'steps.prep.topic', answer: 'steps.answer.text', said: 'It said: {{steps.answer.text}}' },
    }),
    input: { topic: 'refunds' },
    models: { byStep: { answer: 'Refunds take 14 days.' } },
    mode: 'stream',
    expect: {
      output: { topic: 'refunds', answer: 'Refunds take 14 days.', said: 'It said: Refunds take 14 days.' },
      text: 'Refunds take 14 days.',
    },
  },
  {
    name: 'invoke-output-key-order',
    description:
      'The output of a json or boolean invoke is { text, value, usage } in that order, which {{steps.x | json}} shows.',
    chain: defineChain({
      name: 'invoke-output-key-order',
      steps: [
        invoke('facts', { model: HAIKU, prompt: 'Facts as JSON?', output: 'json' }),
        invoke('check', { model: HAIKU, prompt: 'Sure?', output: 'boolean' }),
        invoke('quote', { model: HAIKU, prompt: '{{steps.facts | json}} {{steps.check | json}}' }),
      ],
    }),
    input: {},
    models: { byStep: { facts: '{"b":1,"a":[true]}', check: 'false', quote: { echo: true } } },
    expect: {
      output: {
        text: QUOTED,
        usage: { inputTokens: 98, outputTokens: 98 },
      },
    },
  },
  {
    name: 'caught-invoke-usage',
    description:
      "A caught invoke reports no usage of its own on step-end (its output is the fallback's); the fallback's tokens count in the chain's usage.",
    chain: defineChain({
      name: 'caught-invoke-usage',
      steps: [
        invoke('ask', {
          model: HAIKU,
          prompt: 'Hello',
          policy: {
            catch: {
              errors: ['Bedrock.ModelTimeoutException'],
              fallback: [invoke('backup', { model: HAIKU, prompt: 'Hello again' })],
            },
          },
        }),
      ],
    }),
    input: {},
    models: { byStep: { ask: { timeout: true }, backup: 'Hi.' } },
    expect: {
      output: BACKUP,
      events: [
        { type: 'chain-start', chain: 'caught-invoke-usage' },
        { type: 'step-start', stepId: 'ask', stepType: 'invoke' },
        { type: 'step-end', stepId: 'ask', stepType: 'invoke', output: BACKUP },
        {
          type: 'chain-end',
          output: BACKUP,
          usage: {
            inputTokens: 2,
            outputTokens: 2,
            totalTokens: 4,
            byModel: { [HAIKU]: { inputTokens: 2, outputTokens: 2 } },
          },
        },
      ],
    },
  },
];
