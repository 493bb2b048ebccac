import { defineChain } from '../chain/define-chain';
import { isTrue } from '../condition/builders';
import { choose, when } from '../steps/choose';
import { invoke } from '../steps/invoke';
import { parallel } from '../steps/parallel';
import { respond } from '../steps/respond';
import { transform } from '../steps/transform';
import type { ConformanceCase, ExpectedEvent } from './conformance-case';

const MINI = 'openai:gpt-4o-mini';
const LOCAL = 'compatible:llama3.2';
const CLAUDE = 'anthropic:claude-sonnet-4-5';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** Retry and catch by the provider error names, as both runtimes raise them (decision 0007). */
const RETRY_RATE_LIMITS = {
  retry: { errors: ['Provider.RateLimited'], maxAttempts: 2, intervalSeconds: 1 },
};

const failed = (error: string, stepId: string) => ({ error: { name: 'StepFailedError', error, stepId } });

const routerEvents: ExpectedEvent[] = [
  { type: 'chain-start', chain: 'provider-router' },
  { type: 'step-start', stepId: 'classify', stepType: 'invoke' },
  {
    type: 'step-end',
    stepId: 'classify',
    stepType: 'invoke',
    output: { text: '{"billing": true}', value: { billing: true }, usage: { inputTokens: 16, outputTokens: 6 } },
    usage: { inputTokens: 16, outputTokens: 6 },
  },
  { type: 'step-start', stepId: 'route', stepType: 'choose' },
  { type: 'step-start', stepId: 'billing', stepType: 'transform' },
  { type: 'step-end', stepId: 'billing', stepType: 'transform', output: { team: 'billing' } },
  { type: 'step-end', stepId: 'route', stepType: 'choose', output: { team: 'billing' } },
  { type: 'step-start', stepId: 'answer', stepType: 'respond' },
  { type: 'text-delta', stepId: 'answer', delta: 'Billing' },
  { type: 'text-delta', stepId: 'answer', delta: ' will' },
  { type: 'text-delta', stepId: 'answer', delta: ' refund' },
  { type: 'text-delta', stepId: 'answer', delta: ' you' },
  { type: 'text-delta', stepId: 'answer', delta: '.' },
  {
    type: 'step-end',
    stepId: 'answer',
    stepType: 'respond',
    output: { text: 'Billing will refund you.', usage: { inputTokens: 10, outputTokens: 5 } },
    usage: { inputTokens: 10, outputTokens: 5 },
  },
  {
    type: 'chain-end',
    output: { billing: true, team: 'billing' },
    usage: {
      inputTokens: 26,
      outputTokens: 11,
      totalTokens: 37,
      byModel: {
        'openai:gpt-4o-mini': { inputTokens: 16, outputTokens: 6 },
        'compatible:llama3.2': { inputTokens: 10, outputTokens: 5 },
      },
    },
    text: 'Billing will refund you.',
  },
];

const mixedEvents: ExpectedEvent[] = [
  { type: 'chain-start', chain: 'provider-anthropic-mixed-usage' },
  { type: 'step-start', stepId: 'ask', stepType: 'parallel' },
  {
    type: 'step-end',
    stepId: 'ask',
    stepType: 'parallel',
    output: {
      direct: { text: 'The Danube', usage: { inputTokens: 7, outputTokens: 2 } },
      bedrock: { text: 'Lake Bled', usage: { inputTokens: 4, outputTokens: 2 } },
    },
  },
  { type: 'step-start', stepId: 'both', stepType: 'transform' },
  { type: 'step-end', stepId: 'both', stepType: 'transform', output: { river: 'The Danube', lake: 'Lake Bled' } },
  {
    type: 'chain-end',
    output: { river: 'The Danube', lake: 'Lake Bled' },
    usage: {
      inputTokens: 11,
      outputTokens: 4,
      totalTokens: 15,
      byModel: {
        'anthropic:claude-sonnet-4-5': { inputTokens: 7, outputTokens: 2 },
        'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 4, outputTokens: 2 },
      },
    },
  },
];

/**
 * Conformance cases on models of other providers than Bedrock (`openai:...`, `compatible:...`, `anthropic:...`):
 * runtime-local calls them through its `ModelProvider`, the SFN runtime compiles `invoke` to Step Functions' HTTP
 * Task and streams `respond` in the process; both give the same outputs, events and usage, and fail, retry and
 * catch by the same `Provider.*` names. Tagged `provider`. Part of `conformanceCases`.
 *
 * @example
 * ```ts
 * const providerCases = conformanceCases.filter((testCase) => testCase.tags?.includes('provider'));
 * ```
 */
export const providerCases: ConformanceCase[] = [
  {
    name: 'provider-router',
    description: 'A small classifier on one provider (json, prefill) routes; the answer streams from another provider.',
    chain: defineChain({
      name: 'provider-router',
      steps: [
        invoke('classify', {
          model: MINI,
          system: 'Reply with JSON only.',
          prompt: 'Is this about billing? {{input.message}}',
          prefill: '{',
          output: 'json',
          maxTokens: 20,
          temperature: 0,
          policy: RETRY_RATE_LIMITS,
        }),
        choose(
          'route',
          [when(isTrue('steps.classify.value.billing'), [transform('billing', { set: { team: 'billing' } })])],
          [transform('support', { set: { team: 'support' } })],
        ),
        respond('answer', {
          model: LOCAL,
          system: 'You work in {{steps.route.team}}.',
          prompt: '{{input.message}}',
          maxTokens: 100,
        }),
      ],
      output: { billing: 'steps.classify.value.billing', team: 'steps.route.team' },
    }),
    input: { message: 'I was charged twice.' },
    models: { byStep: { classify: '"billing": true}', answer: 'Billing will refund you.' } },
    tags: ['provider'],
    expect: {
      output: { billing: true, team: 'billing' },
      text: 'Billing will refund you.',
      events: routerEvents,
    },
  },
  {
    name: 'provider-retry-rate-limited',
    description: 'A 429 (Provider.RateLimited) is retried by a policy on that name, on both runtimes.',
    chain: defineChain({
      name: 'provider-retry-rate-limited',
      steps: [
        invoke('check', {
          model: MINI,
          prompt: 'Is {{input.word}} a colour? true or false.',
          output: 'boolean',
          policy: RETRY_RATE_LIMITS,
        }),
      ],
    }),
    input: { word: 'teal' },
    models: { byStep: { check: { text: 'true', throttle: 1 } } },
    tags: ['provider', 'retry'],
    expect: {
      output: { text: 'true', value: true, usage: { inputTokens: 9, outputTokens: 1 } },
      steps: { check: { text: 'true', value: true, usage: { inputTokens: 9, outputTokens: 1 } } },
    },
  },
  {
    name: 'provider-catch-bad-request',
    description: 'A 400 (Provider.BadRequest) goes to the fallback of a catch on that name.',
    chain: defineChain({
      name: 'provider-catch-bad-request',
      steps: [
        invoke('summary', {
          model: LOCAL,
          prompt: 'Summarise {{input.text}}',
          policy: {
            catch: { errors: ['Provider.BadRequest'], fallback: [transform('plain', { set: { text: 'input.text' } })] },
          },
        }),
      ],
    }),
    input: { text: 'A long story.' },
    models: { byStep: { summary: { fail: 'ValidationException' } } },
    tags: ['provider'],
    expect: { output: { text: 'A long story.' }, steps: { summary: { text: 'A long story.' } } },
  },
  {
    name: 'provider-server-error',
    description: 'A 500 the policy does not name fails the run with Provider.ServerError and the step id.',
    chain: defineChain({
      name: 'provider-server-error',
      steps: [
        parallel('both', {
          left: [invoke('fine', { model: HAIKU, prompt: 'Hi' })],
          right: [invoke('broken', { model: MINI, prompt: 'Hi', policy: RETRY_RATE_LIMITS })],
        }),
      ],
    }),
    input: {},
    models: { byStep: { fine: 'Hello', broken: { fail: 'InternalServerException' } } },
    tags: ['provider'],
    expect: failed('Provider.ServerError', 'broken'),
  },
  {
    name: 'provider-respond-cut',
    description:
      'A streamed answer cut before its finish fails the respond step with Provider.StreamCut, never a whole answer.',
    chain: defineChain({
      name: 'provider-respond-cut',
      steps: [respond('answer', { model: MINI, prompt: 'Tell me a story.' })],
    }),
    input: {},
    models: { byStep: { answer: { text: 'Once upon a time there was', failAfterDeltas: 3 } } },
    tags: ['provider'],
    expect: failed('Provider.StreamCut', 'answer'),
  },
  {
    name: 'provider-anthropic-mixed-usage',
    description: "An invoke on Anthropic's Messages API next to a Bedrock one: outputs and usage by model reference.",
    chain: defineChain({
      name: 'provider-anthropic-mixed-usage',
      steps: [
        parallel('ask', {
          direct: [invoke('claude', { model: CLAUDE, system: 'Be brief.', prompt: 'Name a river.', maxTokens: 10 })],
          bedrock: [invoke('haiku', { model: HAIKU, prompt: 'Name a lake.', maxTokens: 10 })],
        }),
        transform('both', { set: { river: 'steps.ask.direct.text', lake: 'steps.ask.bedrock.text' } }),
      ],
    }),
    input: {},
    models: { byModel: { [CLAUDE]: 'The Danube', [HAIKU]: 'Lake Bled' } },
    tags: ['provider'],
    expect: {
      output: { river: 'The Danube', lake: 'Lake Bled' },
      steps: {
        ask: {
          direct: { text: 'The Danube', usage: { inputTokens: 7, outputTokens: 2 } },
          bedrock: { text: 'Lake Bled', usage: { inputTokens: 4, outputTokens: 2 } },
        },
        both: { river: 'The Danube', lake: 'Lake Bled' },
      },
      events: mixedEvents,
    },
  },
];
