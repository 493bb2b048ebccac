import { defineChain } from '../chain/define-chain';
import { isTrue } from '../condition/builders';
import { choose, when } from '../steps/choose';
import { invoke } from '../steps/invoke';
import { respond } from '../steps/respond';
import { retrieve } from '../steps/retrieve';
import { split } from '../steps/split';
import { task } from '../steps/task';
import { transform } from '../steps/transform';
import type { ConformanceCase } from './conformance-case';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const NO_USAGE = { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} };

/** Catches and retries everything a policy can: `States.Runtime` must still fail the run. */
const catchAll = {
  retry: { errors: ['States.ALL'], maxAttempts: 2, intervalSeconds: 1 },
  catch: { errors: ['States.ALL'], fallback: [transform('fallback', { set: { caught: true } })] },
};

/**
 * Conformance cases for ASL's order of evaluation and Bedrock's request rules (decision 0001, "Order of evaluation"):
 * a step's payload before its resource, step events only of steps that completed, the fakes refusing what Bedrock
 * refuses, `States.StringToJson` on a blank answer, and a `respond` step's history. Part of `conformanceCases`.
 *
 * @example
 * ```ts
 * const names = localFidelityCases.map((testCase) => testCase.name);
 * ```
 */
export const localFidelityCases: ConformanceCase[] = [
  // ---- a step's payload is evaluated before its resource ----
  {
    name: 'retrieve-query-before-knowledge-base',
    description:
      'A missing path in a retrieve query is States.Runtime (no retry, no catch), even when the knowledge base is missing too.',
    chain: defineChain({
      name: 'retrieve-query-before-knowledge-base',
      steps: [retrieve('docs', { knowledgeBaseId: 'KB0MISSING', query: 'About {{input.topic}}', policy: catchAll })],
    }),
    input: {},
    models: {},
    expect: {
      error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'docs' },
      events: [{ type: 'chain-start', chain: 'retrieve-query-before-knowledge-base' }],
    },
  },
  {
    name: 'task-payload-before-handler',
    description:
      'A missing path in a task input is States.Runtime (no retry, no catch), even when the handler is missing too.',
    chain: defineChain({
      name: 'task-payload-before-handler',
      steps: [task('offer', { handler: 'notDeployed', input: { customer: 'input.customerId' }, policy: catchAll })],
    }),
    input: {},
    models: {},
    expect: {
      error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'offer' },
      events: [{ type: 'chain-start', chain: 'task-payload-before-handler' }],
    },
  },
  {
    name: 'missing-knowledge-base-caught',
    description:
      'With a good query, a missing knowledge base is a catchable BedrockAgentRuntime.ResourceNotFoundException.',
    chain: defineChain({
      name: 'missing-knowledge-base-caught',
      steps: [
        retrieve('docs', {
          knowledgeBaseId: 'KB0MISSING',
          query: 'About {{input.topic}}',
          policy: {
            catch: {
              errors: ['BedrockAgentRuntime.ResourceNotFoundException'],
              fallback: [transform('noDocs', { set: { found: false } })],
            },
          },
        }),
      ],
    }),
    input: { topic: 'refunds' },
    models: {},
    expect: {
      output: { found: false },
      steps: { docs: { found: false } },
      events: [
        { type: 'chain-start', chain: 'missing-knowledge-base-caught' },
        { type: 'step-start', stepId: 'docs', stepType: 'retrieve' },
        { type: 'step-end', stepId: 'docs', stepType: 'retrieve', output: { found: false } },
        { type: 'chain-end', output: { found: false }, usage: NO_USAGE },
      ],
    },
  },

  // ---- events: one step-start/step-end pair per step that completed ----
  {
    name: 'choose-retry-events-once',
    description:
      'A choose retried after its case failed: the case’s steps report once, from the attempt that succeeded.',
    chain: defineChain({
      name: 'choose-retry-events-once',
      steps: [
        choose(
          'route',
          [
            when(isTrue('input.go'), [
              transform('prep', { set: { ready: true } }),
              task('flaky', { handler: 'flaky', input: { failures: 1 } }),
            ]),
          ],
          undefined,
          {
            policy: { retry: { errors: ['FlakyError'], maxAttempts: 2, intervalSeconds: 1, backoffRate: 1 } },
          },
        ),
      ],
    }),
    input: { go: true },
    models: {},
    tags: ['retry'],
    expect: {
      output: { ok: true, calls: 2 },
      steps: { route: { ok: true, calls: 2 }, prep: { ready: true }, flaky: { ok: true, calls: 2 } },
      events: [
        { type: 'chain-start', chain: 'choose-retry-events-once' },
        { type: 'step-start', stepId: 'route', stepType: 'choose' },
        { type: 'step-start', stepId: 'prep', stepType: 'transform' },
        { type: 'step-end', stepId: 'prep', stepType: 'transform', output: { ready: true } },
        { type: 'step-start', stepId: 'flaky', stepType: 'task' },
        { type: 'step-end', stepId: 'flaky', stepType: 'task', output: { ok: true, calls: 2 } },
        { type: 'step-end', stepId: 'route', stepType: 'choose', output: { ok: true, calls: 2 } },
        { type: 'chain-end', output: { ok: true, calls: 2 }, usage: NO_USAGE },
      ],
    },
  },
  {
    name: 'choose-catch-events',
    description:
      'A choose whose case failed into its catch: only the choose reports, with the fallback’s output; the case’s steps leave no output.',
    chain: defineChain({
      name: 'choose-catch-events',
      steps: [
        choose(
          'route',
          [
            when(isTrue('input.go'), [
              transform('prep', { set: { ready: true } }),
              task('offer', { handler: 'fail', input: { errorName: 'OfferServiceError' } }),
            ]),
          ],
          undefined,
          {
            policy: { catch: { errors: ['States.ALL'], fallback: [transform('noOffer', { set: { offer: null } })] } },
          },
        ),
      ],
    }),
    input: { go: true },
    models: {},
    expect: {
      output: { offer: null },
      steps: { route: { offer: null } },
      events: [
        { type: 'chain-start', chain: 'choose-catch-events' },
        { type: 'step-start', stepId: 'route', stepType: 'choose' },
        { type: 'step-end', stepId: 'route', stepType: 'choose', output: { offer: null } },
        { type: 'chain-end', output: { offer: null }, usage: NO_USAGE },
      ],
    },
  },
  {
    name: 'split-retry-events-once',
    description: 'A split retried after its variant failed: the variant’s steps report once.',
    chain: defineChain({
      name: 'split-retry-events-once',
      steps: [
        split(
          'experiment',
          { only: { weight: 1, steps: [task('flaky', { handler: 'flaky', input: { failures: 1 } })] } },
          { policy: { retry: { errors: ['FlakyError'], maxAttempts: 2, intervalSeconds: 1, backoffRate: 1 } } },
        ),
      ],
    }),
    input: {},
    models: {},
    tags: ['retry'],
    expect: {
      output: { variant: 'only', output: { ok: true, calls: 2 } },
      steps: {
        experiment: { variant: 'only', output: { ok: true, calls: 2 } },
        flaky: { ok: true, calls: 2 },
      },
      events: [
        { type: 'chain-start', chain: 'split-retry-events-once' },
        { type: 'step-start', stepId: 'experiment', stepType: 'split' },
        { type: 'step-start', stepId: 'flaky', stepType: 'task' },
        { type: 'step-end', stepId: 'flaky', stepType: 'task', output: { ok: true, calls: 2 } },
        {
          type: 'step-end',
          stepId: 'experiment',
          stepType: 'split',
          output: { variant: 'only', output: { ok: true, calls: 2 } },
        },
        { type: 'chain-end', output: { variant: 'only', output: { ok: true, calls: 2 } }, usage: NO_USAGE },
      ],
    },
  },
  {
    name: 'failed-run-reports-no-steps',
    description:
      'A run that fails before respond reports no step events, as Step Functions returns no state for a failed execution.',
    chain: defineChain({
      name: 'failed-run-reports-no-steps',
      steps: [
        transform('prep', { set: { ready: true } }),
        task('offer', { handler: 'fail', input: { errorName: 'OfferServiceError' } }),
        respond('answer', { model: SONNET, prompt: 'Never asked' }),
      ],
    }),
    input: {},
    models: { byStep: { answer: 'Never streamed.' } },
    expect: {
      error: { name: 'StepFailedError', error: 'OfferServiceError', stepId: 'offer' },
      events: [{ type: 'chain-start', chain: 'failed-run-reports-no-steps' }],
    },
  },
  {
    name: 'respond-failure-after-steps',
    description: 'When respond fails, every earlier step has reported, then respond’s step-start, then the error.',
    chain: defineChain({
      name: 'respond-failure-after-steps',
      steps: [transform('prep', { set: { ready: true } }), respond('answer', { model: SONNET, prompt: 'Go' })],
    }),
    input: {},
    models: { byStep: { answer: { fail: 'Bedrock.AccessDeniedException' } } },
    expect: {
      error: { name: 'StepFailedError', error: 'Bedrock.AccessDeniedException', stepId: 'answer' },
      events: [
        { type: 'chain-start', chain: 'respond-failure-after-steps' },
        { type: 'step-start', stepId: 'prep', stepType: 'transform' },
        { type: 'step-end', stepId: 'prep', stepType: 'transform', output: { ready: true } },
        { type: 'step-start', stepId: 'answer', stepType: 'respond' },
      ],
    },
  },
  {
    name: 'chain-output-after-respond',
    description:
      'A chain output that cannot be built fails the run after respond has streamed: it is built from respond’s output too.',
    chain: defineChain({
      name: 'chain-output-after-respond',
      steps: [transform('prep', { set: { ready: true } }), respond('answer', { model: SONNET, prompt: 'Go' })],
      output: { tier: 'input.customer.tier' },
    }),
    input: { customer: {} },
    models: { byStep: { answer: 'Streamed anyway.' } },
    expect: {
      error: { name: 'StepFailedError', error: 'States.Runtime' },
      events: [
        { type: 'chain-start', chain: 'chain-output-after-respond' },
        { type: 'step-start', stepId: 'prep', stepType: 'transform' },
        { type: 'step-end', stepId: 'prep', stepType: 'transform', output: { ready: true } },
        { type: 'step-start', stepId: 'answer', stepType: 'respond' },
        { type: 'text-delta', stepId: 'answer', delta: 'Streamed' },
        { type: 'text-delta', stepId: 'answer', delta: ' anyway' },
        { type: 'text-delta', stepId: 'answer', delta: '.' },
        {
          type: 'step-end',
          stepId: 'answer',
          stepType: 'respond',
          output: { text: 'Streamed anyway.', usage: { inputTokens: 1, outputTokens: 3 } },
          usage: { inputTokens: 1, outputTokens: 3 },
        },
      ],
    },
  },

  // ---- the fakes refuse what Bedrock refuses ----
  {
    name: 'invoke-blank-prompt',
    description: 'A Claude invoke whose prompt renders blank is refused as Bedrock refuses it (ValidationException).',
    chain: defineChain({
      name: 'invoke-blank-prompt',
      steps: [invoke('summary', { model: HAIKU, prompt: '{{input.text}}' })],
    }),
    input: { text: ' ' },
    models: { default: 'A summary.' },
    expect: { error: { name: 'StepFailedError', error: 'Bedrock.ValidationException', stepId: 'summary' } },
  },
  {
    name: 'respond-roles-not-alternating',
    description:
      'A history that ends with a user turn, then the prompt: two user turns in a row, which ConverseStream refuses.',
    chain: defineChain({
      name: 'respond-roles-not-alternating',
      steps: [respond('answer', { model: SONNET, messages: { from: 'input.history' }, prompt: '{{input.question}}' })],
    }),
    input: {
      question: 'And on weekends?',
      history: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'When are you open?' },
      ],
    },
    models: { byStep: { answer: 'Never streamed.' } },
    expect: {
      error: { name: 'StepFailedError', error: 'Bedrock.ValidationException', stepId: 'answer' },
      events: [
        { type: 'chain-start', chain: 'respond-roles-not-alternating' },
        { type: 'step-start', stepId: 'answer', stepType: 'respond' },
      ],
    },
  },
  {
    name: 'invoke-prefill-trailing-space',
    description:
      'A Claude prefill ending with a space: the adapter sends it trimmed, so the fakes count the tokens without it.',
    chain: defineChain({
      name: 'invoke-prefill-trailing-space',
      steps: [invoke('intent', { model: HAIKU, prompt: 'Intent as JSON', prefill: '{ ', output: 'json' })],
    }),
    input: {},
    models: { byStep: { intent: '"intent": "refund"}' } },
    expect: {
      output: {
        text: '{ "intent": "refund"}',
        value: { intent: 'refund' },
        usage: { inputTokens: 4, outputTokens: 8 },
      },
    },
  },

  // ---- States.StringToJson of a blank answer ----
  {
    name: 'invoke-json-blank-answer',
    description: 'A blank answer to a json invoke: States.StringToJson("") is null on AWS, so value is null.',
    chain: defineChain({
      name: 'invoke-json-blank-answer',
      steps: [invoke('facts', { model: HAIKU, prompt: 'Facts as JSON', output: 'json' })],
    }),
    input: {},
    models: { byStep: { facts: '  ' } },
    expect: { output: { text: '  ', value: null, usage: { inputTokens: 3, outputTokens: 1 } } },
  },
  {
    name: 'invoke-boolean-blank-answer',
    description: 'A blank answer to a boolean invoke parses to null, which is not a boolean: States.Runtime.',
    chain: defineChain({
      name: 'invoke-boolean-blank-answer',
      steps: [invoke('check', { model: HAIKU, prompt: 'True or false?', output: 'boolean', policy: catchAll })],
    }),
    input: {},
    models: { byStep: { check: '' } },
    expect: { error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'check' } },
  },

  // ---- a respond step's history (respondMessages) ----
  {
    name: 'respond-messages-missing',
    description: 'messages.from that does not exist fails the machine’s final state: States.Runtime, no step reported.',
    chain: defineChain({
      name: 'respond-messages-missing',
      steps: [
        transform('prep', { set: { ready: true } }),
        respond('answer', { model: SONNET, messages: { from: 'input.history' }, prompt: 'Go' }),
      ],
    }),
    input: {},
    models: { byStep: { answer: 'Never streamed.' } },
    expect: {
      error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'answer' },
      events: [{ type: 'chain-start', chain: 'respond-messages-missing' }],
    },
  },
  {
    name: 'respond-messages-not-array',
    description:
      'messages.from that is not an array: States.Runtime of the respond step, named the same on both runtimes.',
    chain: defineChain({
      name: 'respond-messages-not-array',
      steps: [
        transform('prep', { set: { ready: true } }),
        respond('answer', { model: SONNET, messages: { from: 'input.history' }, prompt: 'Go' }),
      ],
    }),
    input: { history: { role: 'user', content: 'Hello' } },
    models: { byStep: { answer: 'Never streamed.' } },
    expect: {
      error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'answer' },
      events: [
        { type: 'chain-start', chain: 'respond-messages-not-array' },
        { type: 'step-start', stepId: 'prep', stepType: 'transform' },
        { type: 'step-end', stepId: 'prep', stepType: 'transform', output: { ready: true } },
        { type: 'step-start', stepId: 'answer', stepType: 'respond' },
      ],
    },
  },
  {
    name: 'respond-messages-malformed',
    description: 'A kept message that is not { role, content }: Bedrock.ValidationException, as Bedrock refuses it.',
    chain: defineChain({
      name: 'respond-messages-malformed',
      steps: [respond('answer', { model: SONNET, messages: { from: 'input.history' }, prompt: 'Go' })],
    }),
    input: {
      history: [
        { role: 'system', content: 'Be brief.' },
        { role: 'assistant', content: 'Hi!' },
      ],
    },
    models: { byStep: { answer: 'Never streamed.' } },
    expect: {
      error: { name: 'StepFailedError', error: 'Bedrock.ValidationException', stepId: 'answer' },
      events: [
        { type: 'chain-start', chain: 'respond-messages-malformed' },
        { type: 'step-start', stepId: 'answer', stepType: 'respond' },
      ],
    },
  },
  {
    name: 'respond-messages-last-drops-malformed',
    description: 'A malformed message that `last` cuts off is never sent, so it is not checked.',
    chain: defineChain({
      name: 'respond-messages-last-drops-malformed',
      steps: [respond('answer', { model: SONNET, messages: { from: 'input.history', last: 2 }, prompt: 'Go on' })],
    }),
    input: {
      history: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Tell me a story.' },
        { role: 'assistant', content: 'Once upon a time...' },
      ],
    },
    models: { byStep: { answer: 'There was a cat.' } },
    expect: { text: 'There was a cat.' },
  },
];
