import type { StandardSchemaV1 } from '@standard-schema/spec';
import { defineChain } from '../chain/define-chain';
import { and, eq, exists, gt, isFalse, isTrue, matches, not, or } from '../condition/builders';
import { choose, when } from '../steps/choose';
import { invoke } from '../steps/invoke';
import { map } from '../steps/map';
import { parallel } from '../steps/parallel';
import { respond } from '../steps/respond';
import { retrieve } from '../steps/retrieve';
import { split } from '../steps/split';
import { task } from '../steps/task';
import { transform } from '../steps/transform';
import type { ConformanceCase } from './conformance-case';
import { failureCases } from './conformance-cases-failures';
import { localFidelityCases } from './conformance-cases-local-fidelity';
import { providerCases } from './conformance-cases-providers';
import { conformanceEvents } from './conformance-events';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';

const KB = 'KB0000TEST';
const DOCUMENTS = [
  { text: 'Refunds are issued within 14 days of the return being received.', source: 's3://docs/refunds.md' },
  { text: 'Shipping is free for orders over 50 euros.', source: 's3://docs/shipping.md' },
  { text: 'Returns are accepted within 30 days; a refund follows the return.', source: 's3://docs/returns.md' },
  { text: 'Our support line is open from 9 to 5 on weekdays.', source: 's3://docs/support.md' },
];

/** A Standard Schema without a library: `{ question: string }`. */
const questionSchema: StandardSchemaV1<unknown, { question: string }> = {
  '~standard': {
    version: 1,
    vendor: 'stepwise-conformance',
    validate(value) {
      if (typeof value !== 'object' || value === null) return { issues: [{ message: 'Expected an object' }] };
      const question = (value as { question?: unknown }).question;
      if (typeof question !== 'string') return { issues: [{ message: 'Expected a string', path: ['question'] }] };
      return { value: { question } };
    },
  },
};

const retryThrottling = {
  errors: ['Bedrock.ThrottlingException'],
  maxAttempts: 3,
  intervalSeconds: 1,
  backoffRate: 2,
};

/**
 * The conformance cases every runtime must pass, as data: each step kind, nesting, templates with awkward strings,
 * output formats, policies, timeouts, errors, abort and input validation. `describeRuntimeConformance` runs them;
 * the compiler can write golden ASL for each chain.
 *
 * @example
 * ```ts
 * for (const { name, chain } of conformanceCases) writeFileSync(`${name}.asl.json`, JSON.stringify(compileChain(chain), null, 2));
 * ```
 */
export const conformanceCases: ConformanceCase[] = [
  {
    name: 'invoke-text',
    description: 'One invoke with a system prompt and text output.',
    chain: defineChain({
      name: 'invoke-text',
      steps: [
        invoke('summary', {
          model: HAIKU,
          system: 'You summarise in one sentence.',
          prompt: 'Summarise: {{input.text}}',
          maxTokens: 50,
          temperature: 0.2,
        }),
      ],
    }),
    input: { text: 'The cat sat on the mat all afternoon.' },
    models: { byStep: { summary: 'A cat sat.' } },
    expect: {},
  },
  {
    name: 'invoke-json-prefill',
    description: 'json output with a prefill: the text starts with the prefill, value is the parsed JSON.',
    chain: defineChain({
      name: 'invoke-json-prefill',
      steps: [
        invoke('intent', {
          model: HAIKU,
          prompt: 'Classify the intent of: {{input.message}}. Answer as JSON.',
          prefill: '{',
          output: 'json',
          maxTokens: 100,
        }),
      ],
    }),
    input: { message: 'I want my money back' },
    models: { byStep: { intent: '"intent": "refund", "confidence": 0.9}' } },
    expect: {},
  },
  {
    name: 'invoke-boolean',
    description: 'boolean output: value is the boolean.',
    chain: defineChain({
      name: 'invoke-boolean',
      steps: [
        invoke('needsContext', {
          model: HAIKU,
          prompt: 'Does this need documents? Answer true or false. {{input.question}}',
          output: 'boolean',
          maxTokens: 5,
        }),
      ],
    }),
    input: { question: 'What is the refund policy?' },
    models: { byStep: { needsContext: 'true' } },
    expect: {},
  },
  {
    name: 'invoke-model-families',
    description: 'invoke on Amazon Nova (inference profile), Meta Llama 3 and Anthropic in sequence.',
    chain: defineChain({
      name: 'invoke-model-families',
      steps: [
        invoke('nova', { model: NOVA, system: 'Be brief.', prompt: 'Name a colour.', maxTokens: 10 }),
        invoke('llama', { model: LLAMA, system: 'Be brief.', prompt: 'Name a fruit like {{steps.nova.text}}.' }),
        invoke('claude', { model: HAIKU, prompt: 'Combine {{steps.nova.text}} and {{steps.llama.text}}.' }),
      ],
    }),
    input: {},
    models: { byStep: { nova: 'Orange', llama: 'An orange', claude: 'An orange orange' } },
    expect: {},
  },
  {
    name: 'retrieve-top-k',
    description: 'retrieve from a memory knowledge base with a templated query and topK 2.',
    chain: defineChain({
      name: 'retrieve-top-k',
      steps: [retrieve('docs', { knowledgeBaseId: KB, query: '{{input.question}}', topK: 2 })],
    }),
    input: { question: 'How long does a refund take after a return?' },
    models: {},
    knowledgeBases: { [KB]: DOCUMENTS },
    expect: {},
  },
  {
    name: 'task-default-input',
    description: 'task without input: the handler receives { input }.',
    chain: defineChain({ name: 'task-default-input', steps: [task('echoed', { handler: 'echo' })] }),
    input: { customerId: 'c-42', note: 'hello' },
    models: {},
    expect: { output: { input: { customerId: 'c-42', note: 'hello' } } },
  },
  {
    name: 'task-value-spec-input',
    description: 'task with a ValueSpec input: paths, templates, literals and nested objects.',
    chain: defineChain({
      name: 'task-value-spec-input',
      steps: [
        task('customer', { handler: 'lookup', input: { customerId: 'input.customerId' } }),
        task('echoed', {
          handler: 'echo',
          input: {
            id: 'steps.customer.customerId',
            firstOrder: 'steps.customer.orders[0]',
            label: 'Customer {{steps.customer.customerId}} ({{steps.customer.tier}})',
            limit: 3,
            flag: true,
            nothing: null,
            nested: { tier: 'steps.customer.tier', total: 'steps.customer.orders[0].total' },
          },
        }),
      ],
    }),
    input: { customerId: 'c-7' },
    models: {},
    expect: {
      output: {
        id: 'c-7',
        firstOrder: { id: 'o-1', total: 42.5 },
        label: 'Customer c-7 (gold)',
        limit: 3,
        flag: true,
        nothing: null,
        nested: { tier: 'gold', total: 42.5 },
      },
    },
  },
  {
    name: 'transform-values',
    description: 'transform with paths, templates, the json filter, literals and nesting.',
    chain: defineChain({
      name: 'transform-values',
      steps: [
        transform('built', {
          set: {
            question: 'input.question',
            tags: 'input.tags',
            heading: 'About: {{input.question}} [{{input.count}}] {{input.flag}}',
            tagsJson: 'Tags: {{input.tags | json}}',
            objectJson: '{{input.meta | json}}',
            n: 7,
            yes: false,
            none: null,
            inner: { first: 'input.tags[0]', text: 'first={{input.tags[0]}}' },
          },
        }),
      ],
    }),
    input: { question: 'Why?', count: 3, flag: true, tags: ['a', 'b'], meta: { k: 'v', n: [1, 2] } },
    models: {},
    expect: {
      output: {
        question: 'Why?',
        tags: ['a', 'b'],
        heading: 'About: Why? [3] true',
        tagsJson: 'Tags: ["a","b"]',
        objectJson: '{"k":"v","n":[1,2]}',
        n: 7,
        yes: false,
        none: null,
        inner: { first: 'a', text: 'first=a' },
      },
    },
  },
  {
    name: 'template-awkward-strings',
    description: 'Templates whose literal text and values hold quotes, braces, backslashes, newlines and unicode.',
    chain: defineChain({
      name: 'template-awkward-strings',
      steps: [
        transform('rendered', {
          set: {
            text: `It's {"a": 1} \\ 'quoted' {single} -> {{input.s}} <- \\n done`,
            json: 'v={{input.s | json}}',
          },
        }),
        invoke('echoed', { model: HAIKU, prompt: `Say "{{input.s}}" {ok} 'back' \\ slash`, maxTokens: 200 }),
      ],
    }),
    input: { s: `he said "hi" {x} {{y}} \\ back\\slash 'single' \n new line é 漢字 🙂` },
    models: { byStep: { echoed: { echo: true } } },
    expect: {},
  },
  {
    name: 'parallel-branches',
    description: 'parallel with two branches of several steps; output holds each branch’s last output.',
    chain: defineChain({
      name: 'parallel-branches',
      steps: [
        parallel('enrich', {
          keywords: [
            invoke('keywords', { model: HAIKU, prompt: 'Keywords for: {{input.question}}' }),
            transform('keywordList', { set: { keywords: '{{steps.keywords.text}}', question: 'input.question' } }),
          ],
          needsContext: [
            invoke('needsContext', { model: HAIKU, prompt: 'Needs context? {{input.question}}', output: 'boolean' }),
          ],
        }),
        transform('after', {
          set: { context: 'steps.enrich.needsContext.value', kw: 'steps.enrich.keywords.keywords' },
        }),
      ],
    }),
    input: { question: 'What is the refund policy?' },
    models: { byStep: { keywords: 'refund, policy', needsContext: 'false' } },
    expect: {},
  },
  {
    name: 'choose-first-match',
    description: 'choose evaluates cases in order; the first that holds runs, even when a later one holds too.',
    chain: defineChain({
      name: 'choose-first-match',
      steps: [
        choose(
          'route',
          [
            when(and(eq('input.tier', 'gold'), not(exists('input.blocked'))), [
              transform('gold', { set: { lane: 'gold' } }),
            ]),
            when(or(gt('input.spend', 100), matches('input.email', '*@example.com')), [
              transform('big', { set: { lane: 'big' } }),
            ]),
          ],
          [transform('standard', { set: { lane: 'standard' } })],
        ),
      ],
    }),
    input: { tier: 'gold', spend: 500, email: 'ann@example.com' },
    models: {},
    expect: { output: { lane: 'gold' }, steps: { route: { lane: 'gold' }, gold: { lane: 'gold' } } },
  },
  {
    name: 'choose-otherwise',
    description: 'No case holds: otherwise runs.',
    chain: defineChain({
      name: 'choose-otherwise',
      steps: [
        choose(
          'route',
          [
            when(isTrue('input.urgent'), [transform('urgent', { set: { lane: 'urgent' } })]),
            when(eq('input.tier', 'gold'), [transform('gold', { set: { lane: 'gold' } })]),
          ],
          [
            transform('standard', { set: { lane: 'standard' } }),
            transform('standard2', { set: { lane: 'steps.standard.lane', twice: true } }),
          ],
        ),
      ],
    }),
    input: { urgent: false, tier: 'silver' },
    models: {},
    expect: {
      output: { lane: 'standard', twice: true },
      steps: {
        route: { lane: 'standard', twice: true },
        standard: { lane: 'standard' },
        standard2: { lane: 'standard', twice: true },
      },
    },
  },
  {
    name: 'choose-no-match',
    description: 'No case holds and there is no otherwise: the output is null.',
    chain: defineChain({
      name: 'choose-no-match',
      steps: [
        choose('route', [when(isFalse('input.ok'), [transform('notOk', { set: { ok: false } })])]),
        transform('after', { set: { routed: '{{input.ok}}' } }),
      ],
    }),
    input: { ok: true },
    models: {},
    expect: { output: { routed: 'true' }, steps: { route: null, after: { routed: 'true' } } },
  },
  {
    name: 'map-items',
    description: 'map over an array with maxConcurrency 2: item and index in scope, output in item order.',
    chain: defineChain({
      name: 'map-items',
      steps: [
        map('titles', {
          items: 'input.docs',
          maxConcurrency: 2,
          steps: [
            transform('title', {
              set: { title: '#{{index}}: {{item.title}}', words: 'item.words', question: 'input.q' },
            }),
          ],
        }),
      ],
    }),
    input: {
      q: 'why',
      docs: [
        { title: 'One', words: 1 },
        { title: 'Two', words: 2 },
        { title: 'Three', words: 3 },
      ],
    },
    models: {},
    expect: {
      output: [
        { title: '#0: One', words: 1, question: 'why' },
        { title: '#1: Two', words: 2, question: 'why' },
        { title: '#2: Three', words: 3, question: 'why' },
      ],
    },
  },
  {
    name: 'map-empty',
    description: 'map over an empty array outputs an empty array.',
    chain: defineChain({
      name: 'map-empty',
      steps: [map('each', { items: 'input.docs', steps: [transform('t', { set: { x: 'item' } })] })],
    }),
    input: { docs: [] },
    models: {},
    expect: { output: [] },
  },
  {
    name: 'map-invoke',
    description: 'map with a model call per item (unlimited concurrency).',
    chain: defineChain({
      name: 'map-invoke',
      steps: [
        map('summaries', {
          items: 'input.docs',
          steps: [invoke('summary', { model: HAIKU, prompt: 'Summarise: {{item}}', maxTokens: 20 })],
        }),
      ],
    }),
    input: { docs: ['alpha text', 'beta text'] },
    models: { byStep: { summary: 'Short.' } },
    expect: {},
  },
  {
    name: 'split-single-variant',
    description: 'split with one variant: always that variant; its steps emit events.',
    chain: defineChain({
      name: 'split-single-variant',
      steps: [split('experiment', { only: { weight: 1, steps: [transform('style', { set: { style: 'short' } })] } })],
    }),
    input: {},
    models: {},
    expect: {
      output: { variant: 'only', output: { style: 'short' } },
      steps: { experiment: { variant: 'only', output: { style: 'short' } }, style: { style: 'short' } },
    },
  },
  {
    name: 'split-weighted',
    description:
      'split picks by weight with the random source: variants in key order, the first whose cumulative weight exceeds random * total.',
    chain: defineChain({
      name: 'split-weighted',
      steps: [
        split('experiment', {
          concise: { weight: 1, steps: [transform('concise', { set: { style: 'concise' } })] },
          detailed: { weight: 3, steps: [transform('detailed', { set: { style: 'detailed' } })] },
          empty: { weight: 1, steps: [] },
        }),
      ],
    }),
    input: {},
    models: {},
    random: 0.5,
    tags: ['random'],
    expect: {
      output: { variant: 'detailed', output: { style: 'detailed' } },
      steps: { experiment: { variant: 'detailed', output: { style: 'detailed' } }, detailed: { style: 'detailed' } },
    },
  },
  {
    name: 'nested-map-in-parallel',
    description: 'A map inside a parallel branch.',
    chain: defineChain({
      name: 'nested-map-in-parallel',
      steps: [
        parallel('fan', {
          lengths: [
            map('each', { items: 'input.words', steps: [transform('w', { set: { word: 'item', at: 'index' } })] }),
          ],
          first: [transform('firstWord', { set: { word: 'input.words[0]' } })],
        }),
      ],
    }),
    input: { words: ['x', 'y'] },
    models: {},
    expect: {
      output: {
        lengths: [
          { word: 'x', at: 0 },
          { word: 'y', at: 1 },
        ],
        first: { word: 'x' },
      },
    },
  },
  {
    name: 'nested-choose-in-map',
    description: 'A choose inside a map iteration, on the item.',
    chain: defineChain({
      name: 'nested-choose-in-map',
      steps: [
        map('labels', {
          items: 'input.numbers',
          steps: [
            choose(
              'sign',
              [when(gt('item', 0), [transform('positive', { set: { n: 'item', sign: 'positive' } })])],
              [transform('other', { set: { n: 'item', sign: 'other' } })],
            ),
          ],
        }),
      ],
    }),
    input: { numbers: [3, -1, 0] },
    models: {},
    expect: {
      output: [
        { n: 3, sign: 'positive' },
        { n: -1, sign: 'other' },
        { n: 0, sign: 'other' },
      ],
    },
  },
  {
    name: 'nested-parallel-in-choose',
    description: 'A parallel inside a choose case; steps of the case emit events, branch steps do not.',
    chain: defineChain({
      name: 'nested-parallel-in-choose',
      steps: [
        choose('route', [
          when(isTrue('input.go'), [
            parallel('both', {
              a: [transform('a', { set: { v: 'A' } })],
              b: [invoke('b', { model: HAIKU, prompt: 'Say B' })],
            }),
            transform('joined', { set: { joined: '{{steps.both.a.v}}+{{steps.both.b.text}}' } }),
          ]),
        ]),
      ],
    }),
    input: { go: true },
    models: { byStep: { b: 'B' } },
    expect: {},
  },
  {
    name: 'respond-stream',
    description: 'respond streams text deltas; messages come from a path (last 2), then the prompt.',
    chain: defineChain({
      name: 'respond-stream',
      steps: [
        respond('answer', {
          model: SONNET,
          system: 'You are helpful.',
          messages: { from: 'input.history', last: 2 },
          prompt: '{{input.question}}',
          maxTokens: 200,
        }),
      ],
    }),
    input: {
      question: 'And the weekend?',
      history: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi! How can I help?' },
        { role: 'user', content: 'When is support open?' },
        { role: 'assistant', content: 'From 9 to 5 on weekdays.' },
      ],
    },
    models: { byStep: { answer: 'Support is closed on the weekend, sorry.' } },
    mode: 'stream',
    expect: { output: null, text: 'Support is closed on the weekend, sorry.' },
  },
  {
    name: 'reference-chain',
    description: 'classify (boolean) -> choose -> parallel of two invokes -> respond, with a chain output.',
    chain: defineChain({
      name: 'reference-chain',
      steps: [
        invoke('classify', { model: HAIKU, prompt: 'Is this about billing? {{input.question}}', output: 'boolean' }),
        choose(
          'route',
          [
            when(isTrue('steps.classify.value'), [
              parallel('enrich', {
                keywords: [invoke('keywords', { model: HAIKU, prompt: 'Keywords: {{input.question}}' })],
                tone: [invoke('tone', { model: NOVA, prompt: 'Tone of: {{input.question}}' })],
              }),
            ]),
          ],
          [transform('plain', { set: { keywords: { text: 'none' } } })],
        ),
        respond('answer', {
          model: SONNET,
          system: 'Context: {{steps.route | json}}',
          prompt: '{{input.question}}',
        }),
      ],
      output: { billing: 'steps.classify.value', route: 'steps.route' },
    }),
    input: { question: 'Why was I charged twice?' },
    models: {
      byStep: {
        classify: 'true',
        keywords: 'charge, twice',
        tone: 'annoyed',
        answer: 'Sorry about the double charge; a refund is on its way.',
      },
    },
    mode: 'stream',
    expect: { text: 'Sorry about the double charge; a refund is on its way.' },
  },
  {
    name: 'retry-after-throttling',
    description: 'The first two calls are throttled; the retry policy succeeds on the third attempt.',
    chain: defineChain({
      name: 'retry-after-throttling',
      steps: [
        invoke('classify', { model: HAIKU, prompt: 'Classify: {{input.q}}', policy: { retry: retryThrottling } }),
      ],
    }),
    input: { q: 'hello' },
    models: { byStep: { classify: { text: 'greeting', throttle: 2 } } },
    tags: ['retry'],
    expect: {},
  },
  {
    name: 'retry-exhausted',
    description: 'Throttled more often than the policy retries: the step fails with Bedrock.ThrottlingException.',
    chain: defineChain({
      name: 'retry-exhausted',
      steps: [
        invoke('classify', {
          model: HAIKU,
          prompt: 'Classify: {{input.q}}',
          policy: { retry: { ...retryThrottling, maxAttempts: 1 } },
        }),
      ],
    }),
    input: { q: 'hello' },
    models: { byStep: { classify: { text: 'greeting', throttle: 5 } } },
    tags: ['retry'],
    expect: { error: { name: 'StepFailedError', error: 'Bedrock.ThrottlingException', stepId: 'classify' } },
  },
  {
    name: 'retry-handler-error',
    description: 'A flaky handler fails once and is retried by its error name.',
    chain: defineChain({
      name: 'retry-handler-error',
      steps: [
        task('flaky', {
          handler: 'flaky',
          input: { failures: 1 },
          policy: { retry: { errors: ['FlakyError'], maxAttempts: 2, intervalSeconds: 1, backoffRate: 1 } },
        }),
      ],
    }),
    input: {},
    models: {},
    tags: ['retry'],
    expect: { output: { ok: true, calls: 2 } },
  },
  {
    name: 'catch-fallback',
    description:
      'A model failure caught by States.ALL: the step takes the fallback’s output; fallback steps emit no events.',
    chain: defineChain({
      name: 'catch-fallback',
      steps: [
        invoke('summary', {
          model: HAIKU,
          prompt: 'Summarise {{input.text}}',
          policy: {
            catch: {
              errors: ['States.ALL'],
              fallback: [
                transform('fallbackText', { set: { text: 'No summary available.' } }),
                transform('fallbackFinal', { set: { text: 'steps.fallbackText.text', degraded: true } }),
              ],
            },
          },
        }),
        transform('after', { set: { summary: 'steps.summary.text' } }),
      ],
    }),
    input: { text: 'long text' },
    models: { byStep: { summary: { fail: 'Bedrock.AccessDeniedException' } } },
    expect: {
      output: { summary: 'No summary available.' },
      steps: {
        summary: { text: 'No summary available.', degraded: true },
        after: { summary: 'No summary available.' },
      },
    },
  },
  {
    name: 'catch-task-failed',
    description: 'A handler error is caught by States.TaskFailed.',
    chain: defineChain({
      name: 'catch-task-failed',
      steps: [
        task('offer', {
          handler: 'fail',
          input: { errorName: 'OfferServiceError', message: 'offers are down' },
          policy: {
            catch: { errors: ['States.TaskFailed'], fallback: [transform('noOffer', { set: { offer: null } })] },
          },
        }),
      ],
    }),
    input: {},
    models: {},
    expect: { output: { offer: null }, steps: { offer: { offer: null } } },
  },
  {
    name: 'catch-empty-fallback',
    description: 'A catch with an empty fallback: the step’s output is null.',
    chain: defineChain({
      name: 'catch-empty-fallback',
      steps: [
        task('offer', {
          handler: 'fail',
          input: { errorName: 'OfferServiceError' },
          policy: { catch: { errors: ['OfferServiceError'], fallback: [] } },
        }),
        transform('after', { set: { hadOffer: '{{input.flag}}' } }),
      ],
    }),
    input: { flag: false },
    models: {},
    expect: { output: { hadOffer: 'false' }, steps: { offer: null, after: { hadOffer: 'false' } } },
  },
  {
    name: 'handler-error-uncaught',
    description: 'A handler error that no catch matches fails the run with the error’s name.',
    chain: defineChain({
      name: 'handler-error-uncaught',
      steps: [
        task('offer', {
          handler: 'fail',
          input: { errorName: 'OfferServiceError', message: 'offers are down' },
          policy: { catch: { errors: ['SomethingElse'], fallback: [transform('never', { set: { x: 1 } })] } },
        }),
      ],
    }),
    input: {},
    models: {},
    expect: { error: { name: 'StepFailedError', error: 'OfferServiceError', stepId: 'offer' } },
  },
  {
    name: 'model-error-uncaught',
    description: 'A model failure without a policy fails the run with Bedrock.<Name>.',
    chain: defineChain({
      name: 'model-error-uncaught',
      steps: [
        transform('first', { set: { ok: true } }),
        invoke('summary', { model: HAIKU, prompt: 'Summarise {{input.text}}' }),
      ],
    }),
    input: { text: 'x' },
    models: { byStep: { summary: { fail: 'Bedrock.ValidationException' } } },
    expect: { error: { name: 'StepFailedError', error: 'Bedrock.ValidationException', stepId: 'summary' } },
  },
  {
    name: 'respond-stream-error',
    description:
      'The answer stream fails mid-way: the run fails with Bedrock.ModelStreamErrorException at the respond step.',
    chain: defineChain({
      name: 'respond-stream-error',
      steps: [
        transform('first', { set: { ok: true } }),
        respond('answer', { model: SONNET, prompt: '{{input.question}}' }),
      ],
    }),
    input: { question: 'Tell me something.' },
    models: { byStep: { answer: { text: 'This answer breaks after three deltas.', failAfterDeltas: 3 } } },
    expect: { error: { name: 'StepFailedError', error: 'Bedrock.ModelStreamErrorException', stepId: 'answer' } },
  },
  {
    name: 'invoke-boolean-invalid',
    description:
      'A boolean invoke answered with something else fails with States.Runtime, which States.ALL does not catch.',
    chain: defineChain({
      name: 'invoke-boolean-invalid',
      steps: [
        invoke('check', {
          model: HAIKU,
          prompt: 'True or false?',
          output: 'boolean',
          policy: {
            retry: { errors: ['States.ALL'], maxAttempts: 2, intervalSeconds: 1 },
            catch: { errors: ['States.ALL'], fallback: [transform('never', { set: { x: 1 } })] },
          },
        }),
      ],
    }),
    input: {},
    models: { byStep: { check: 'maybe' } },
    expect: { error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'check' } },
  },
  {
    name: 'invoke-boolean-not-boolean',
    description:
      'A boolean invoke answered with JSON that is not a boolean (1) fails with States.Runtime, inside a parallel ' +
      'branch too: neither its own policy nor the parallel’s catch handles it.',
    chain: defineChain({
      name: 'invoke-boolean-not-boolean',
      steps: [
        parallel(
          'checks',
          {
            strict: [
              invoke('check', {
                model: HAIKU,
                prompt: 'True or false?',
                output: 'boolean',
                policy: { retry: { errors: ['States.ALL'], maxAttempts: 2, intervalSeconds: 1 } },
              }),
            ],
            other: [transform('other', { set: { x: 1 } })],
          },
          { policy: { catch: { errors: ['States.ALL'], fallback: [transform('never', { set: { x: 1 } })] } } },
        ),
      ],
    }),
    input: {},
    models: { byStep: { check: '1' } },
    expect: { error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'check' } },
  },
  {
    name: 'template-missing-path',
    description: 'A template path missing at run time fails with States.Runtime, not caught by States.ALL.',
    chain: defineChain({
      name: 'template-missing-path',
      steps: [
        transform('greeting', {
          set: { text: 'Hello {{input.name}}' },
          policy: { catch: { errors: ['States.ALL'], fallback: [transform('never', { set: { x: 1 } })] } },
        }),
      ],
    }),
    input: { other: 'x' },
    models: {},
    expect: { error: { name: 'StepFailedError', error: 'States.Runtime', stepId: 'greeting' } },
  },
  {
    name: 'timeout-uncaught',
    description: 'A task slower than timeoutSeconds fails with States.Timeout.',
    chain: defineChain({
      name: 'timeout-uncaught',
      steps: [task('slow', { handler: 'slow', input: { ms: 2500 }, policy: { timeoutSeconds: 1 } })],
    }),
    input: {},
    models: {},
    tags: ['timeout'],
    expect: { error: { name: 'StepFailedError', error: 'States.Timeout', stepId: 'slow' } },
  },
  {
    name: 'timeout-not-task-failed',
    description: 'States.TaskFailed does not catch States.Timeout.',
    chain: defineChain({
      name: 'timeout-not-task-failed',
      steps: [
        task('slow', {
          handler: 'slow',
          input: { ms: 2500 },
          policy: {
            timeoutSeconds: 1,
            catch: { errors: ['States.TaskFailed'], fallback: [transform('never', { set: { x: 1 } })] },
          },
        }),
      ],
    }),
    input: {},
    models: {},
    tags: ['timeout'],
    expect: { error: { name: 'StepFailedError', error: 'States.Timeout', stepId: 'slow' } },
  },
  {
    name: 'timeout-caught',
    description: 'A timeout caught by States.Timeout takes the fallback.',
    chain: defineChain({
      name: 'timeout-caught',
      steps: [
        task('slow', {
          handler: 'slow',
          input: { ms: 2500 },
          policy: {
            timeoutSeconds: 1,
            catch: { errors: ['States.Timeout'], fallback: [transform('late', { set: { late: true } })] },
          },
        }),
      ],
    }),
    input: {},
    models: {},
    tags: ['timeout'],
    expect: { output: { late: true }, steps: { slow: { late: true } } },
  },
  {
    name: 'input-validation',
    description: 'Input failing the chain’s schema rejects with InputValidationError before chain-start.',
    chain: defineChain({
      name: 'input-validation',
      input: questionSchema,
      steps: [transform('echo', { set: { q: 'input.question' } })],
    }),
    input: { question: 42 },
    models: {},
    expect: { error: { name: 'InputValidationError' } },
  },
  {
    name: 'input-validated',
    description: 'Input passing the chain’s schema runs.',
    chain: defineChain({
      name: 'input-validated',
      input: questionSchema,
      steps: [transform('echo', { set: { q: 'input.question' } })],
    }),
    input: { question: 'ok?' },
    models: {},
    expect: { output: { q: 'ok?' } },
  },
  {
    name: 'abort-during-respond',
    description: 'Aborting while the answer streams ends the run with AbortedError.',
    chain: defineChain({
      name: 'abort-during-respond',
      steps: [respond('answer', { model: SONNET, prompt: '{{input.question}}' })],
    }),
    input: { question: 'Tell me a long story.' },
    models: {
      byStep: {
        answer: { text: 'Once upon a time there was a very long story that never seemed to end.', tokenMs: 200 },
      },
    },
    mode: 'abort-on-first-delta',
    tags: ['abort'],
    expect: { error: { name: 'AbortedError' } },
  },
  {
    name: 'abort-during-task',
    description: 'Aborting while a task runs ends the run with AbortedError.',
    chain: defineChain({
      name: 'abort-during-task',
      steps: [task('slow', { handler: 'slow', input: { ms: 2500 } })],
    }),
    input: {},
    models: {},
    mode: 'abort-after-ms',
    abortAfterMs: 50,
    tags: ['abort'],
    expect: { error: { name: 'AbortedError' } },
  },
  ...localFidelityCases,
  ...failureCases,
  ...providerCases,
];

for (const testCase of conformanceCases) {
  const events = conformanceEvents[testCase.name];
  if (events && !testCase.expect.error) testCase.expect.events = events;
}
