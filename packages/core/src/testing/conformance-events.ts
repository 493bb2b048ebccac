import type { ExpectedEvent } from './conformance-case';

/**
 * The golden event sequences of the successful conformance cases, by case name (`ms`, `runId`, `step-retry` aside).
 * Recorded from runtime-local and reviewed against decision 0001; every runtime must produce them.
 * @internal
 */
export const conformanceEvents: { [caseName: string]: ExpectedEvent[] } = {
  'invoke-text': [
    { type: 'chain-start', chain: 'invoke-text' },
    { type: 'step-start', stepId: 'summary', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'summary',
      stepType: 'invoke',
      output: { text: 'A cat sat.', usage: { inputTokens: 17, outputTokens: 4 } },
      usage: { inputTokens: 17, outputTokens: 4 },
    },
    {
      type: 'chain-end',
      output: { text: 'A cat sat.', usage: { inputTokens: 17, outputTokens: 4 } },
      usage: {
        inputTokens: 17,
        outputTokens: 4,
        totalTokens: 21,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 17, outputTokens: 4 } },
      },
    },
  ],
  'invoke-json-prefill': [
    { type: 'chain-start', chain: 'invoke-json-prefill' },
    { type: 'step-start', stepId: 'intent', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'intent',
      stepType: 'invoke',
      output: {
        text: '{"intent": "refund", "confidence": 0.9}',
        value: { intent: 'refund', confidence: 0.9 },
        usage: { inputTokens: 16, outputTokens: 16 },
      },
      usage: { inputTokens: 16, outputTokens: 16 },
    },
    {
      type: 'chain-end',
      output: {
        text: '{"intent": "refund", "confidence": 0.9}',
        value: { intent: 'refund', confidence: 0.9 },
        usage: { inputTokens: 16, outputTokens: 16 },
      },
      usage: {
        inputTokens: 16,
        outputTokens: 16,
        totalTokens: 32,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 16, outputTokens: 16 } },
      },
    },
  ],
  'invoke-boolean': [
    { type: 'chain-start', chain: 'invoke-boolean' },
    { type: 'step-start', stepId: 'needsContext', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'needsContext',
      stepType: 'invoke',
      output: { text: 'true', value: true, usage: { inputTokens: 16, outputTokens: 1 } },
      usage: { inputTokens: 16, outputTokens: 1 },
    },
    {
      type: 'chain-end',
      output: { text: 'true', value: true, usage: { inputTokens: 16, outputTokens: 1 } },
      usage: {
        inputTokens: 16,
        outputTokens: 1,
        totalTokens: 17,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 16, outputTokens: 1 } },
      },
    },
  ],
  'invoke-model-families': [
    { type: 'chain-start', chain: 'invoke-model-families' },
    { type: 'step-start', stepId: 'nova', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'nova',
      stepType: 'invoke',
      output: { text: 'Orange', usage: { inputTokens: 7, outputTokens: 1 } },
      usage: { inputTokens: 7, outputTokens: 1 },
    },
    { type: 'step-start', stepId: 'llama', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'llama',
      stepType: 'invoke',
      output: { text: 'An orange', usage: { inputTokens: 9, outputTokens: 2 } },
      usage: { inputTokens: 9, outputTokens: 2 },
    },
    { type: 'step-start', stepId: 'claude', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'claude',
      stepType: 'invoke',
      output: { text: 'An orange orange', usage: { inputTokens: 6, outputTokens: 3 } },
      usage: { inputTokens: 6, outputTokens: 3 },
    },
    {
      type: 'chain-end',
      output: { text: 'An orange orange', usage: { inputTokens: 6, outputTokens: 3 } },
      usage: {
        inputTokens: 22,
        outputTokens: 6,
        totalTokens: 28,
        byModel: {
          'us.amazon.nova-lite-v1:0': { inputTokens: 7, outputTokens: 1 },
          'meta.llama3-8b-instruct-v1:0': { inputTokens: 9, outputTokens: 2 },
          'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 6, outputTokens: 3 },
        },
      },
    },
  ],
  'retrieve-top-k': [
    { type: 'chain-start', chain: 'retrieve-top-k' },
    { type: 'step-start', stepId: 'docs', stepType: 'retrieve' },
    {
      type: 'step-end',
      stepId: 'docs',
      stepType: 'retrieve',
      output: {
        results: [
          {
            text: 'Returns are accepted within 30 days; a refund follows the return.',
            score: 3.010964,
            source: 's3://docs/returns.md',
          },
          {
            text: 'Refunds are issued within 14 days of the return being received.',
            score: 0.673002,
            source: 's3://docs/refunds.md',
          },
        ],
      },
    },
    {
      type: 'chain-end',
      output: {
        results: [
          {
            text: 'Returns are accepted within 30 days; a refund follows the return.',
            score: 3.010964,
            source: 's3://docs/returns.md',
          },
          {
            text: 'Refunds are issued within 14 days of the return being received.',
            score: 0.673002,
            source: 's3://docs/refunds.md',
          },
        ],
      },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'task-default-input': [
    { type: 'chain-start', chain: 'task-default-input' },
    { type: 'step-start', stepId: 'echoed', stepType: 'task' },
    { type: 'step-end', stepId: 'echoed', stepType: 'task', output: { input: { customerId: 'c-42', note: 'hello' } } },
    {
      type: 'chain-end',
      output: { input: { customerId: 'c-42', note: 'hello' } },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'task-value-spec-input': [
    { type: 'chain-start', chain: 'task-value-spec-input' },
    { type: 'step-start', stepId: 'customer', stepType: 'task' },
    {
      type: 'step-end',
      stepId: 'customer',
      stepType: 'task',
      output: { customerId: 'c-7', tier: 'gold', orders: [{ id: 'o-1', total: 42.5 }] },
    },
    { type: 'step-start', stepId: 'echoed', stepType: 'task' },
    {
      type: 'step-end',
      stepId: 'echoed',
      stepType: 'task',
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
    {
      type: 'chain-end',
      output: {
        id: 'c-7',
        firstOrder: { id: 'o-1', total: 42.5 },
        label: 'Customer c-7 (gold)',
        limit: 3,
        flag: true,
        nothing: null,
        nested: { tier: 'gold', total: 42.5 },
      },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'transform-values': [
    { type: 'chain-start', chain: 'transform-values' },
    { type: 'step-start', stepId: 'built', stepType: 'transform' },
    {
      type: 'step-end',
      stepId: 'built',
      stepType: 'transform',
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
    {
      type: 'chain-end',
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
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'template-awkward-strings': [
    { type: 'chain-start', chain: 'template-awkward-strings' },
    { type: 'step-start', stepId: 'rendered', stepType: 'transform' },
    {
      type: 'step-end',
      stepId: 'rendered',
      stepType: 'transform',
      output: {
        text: "It's {\"a\": 1} \\ 'quoted' {single} -> he said \"hi\" {x} {{y}} \\ back\\slash 'single' \n new line é 漢字 🙂 <- \\n done",
        json: 'v="he said \\"hi\\" {x} {{y}} \\\\ back\\\\slash \'single\' \\n new line é 漢字 🙂"',
      },
    },
    { type: 'step-start', stepId: 'echoed', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'echoed',
      stepType: 'invoke',
      output: {
        text: 'Say "he said "hi" {x} {{y}} \\ back\\slash \'single\' \n new line é 漢字 🙂" {ok} \'back\' \\ slash',
        usage: { inputTokens: 36, outputTokens: 36 },
      },
      usage: { inputTokens: 36, outputTokens: 36 },
    },
    {
      type: 'chain-end',
      output: {
        text: 'Say "he said "hi" {x} {{y}} \\ back\\slash \'single\' \n new line é 漢字 🙂" {ok} \'back\' \\ slash',
        usage: { inputTokens: 36, outputTokens: 36 },
      },
      usage: {
        inputTokens: 36,
        outputTokens: 36,
        totalTokens: 72,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 36, outputTokens: 36 } },
      },
    },
  ],
  'parallel-branches': [
    { type: 'chain-start', chain: 'parallel-branches' },
    { type: 'step-start', stepId: 'enrich', stepType: 'parallel' },
    {
      type: 'step-end',
      stepId: 'enrich',
      stepType: 'parallel',
      output: {
        keywords: { keywords: 'refund, policy', question: 'What is the refund policy?' },
        needsContext: { text: 'false', value: false, usage: { inputTokens: 9, outputTokens: 1 } },
      },
    },
    { type: 'step-start', stepId: 'after', stepType: 'transform' },
    { type: 'step-end', stepId: 'after', stepType: 'transform', output: { context: false, kw: 'refund, policy' } },
    {
      type: 'chain-end',
      output: { context: false, kw: 'refund, policy' },
      usage: {
        inputTokens: 18,
        outputTokens: 4,
        totalTokens: 22,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 18, outputTokens: 4 } },
      },
    },
  ],
  'choose-first-match': [
    { type: 'chain-start', chain: 'choose-first-match' },
    { type: 'step-start', stepId: 'route', stepType: 'choose' },
    { type: 'step-start', stepId: 'gold', stepType: 'transform' },
    { type: 'step-end', stepId: 'gold', stepType: 'transform', output: { lane: 'gold' } },
    { type: 'step-end', stepId: 'route', stepType: 'choose', output: { lane: 'gold' } },
    {
      type: 'chain-end',
      output: { lane: 'gold' },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'choose-otherwise': [
    { type: 'chain-start', chain: 'choose-otherwise' },
    { type: 'step-start', stepId: 'route', stepType: 'choose' },
    { type: 'step-start', stepId: 'standard', stepType: 'transform' },
    { type: 'step-end', stepId: 'standard', stepType: 'transform', output: { lane: 'standard' } },
    { type: 'step-start', stepId: 'standard2', stepType: 'transform' },
    { type: 'step-end', stepId: 'standard2', stepType: 'transform', output: { lane: 'standard', twice: true } },
    { type: 'step-end', stepId: 'route', stepType: 'choose', output: { lane: 'standard', twice: true } },
    {
      type: 'chain-end',
      output: { lane: 'standard', twice: true },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'choose-no-match': [
    { type: 'chain-start', chain: 'choose-no-match' },
    { type: 'step-start', stepId: 'route', stepType: 'choose' },
    { type: 'step-end', stepId: 'route', stepType: 'choose', output: null },
    { type: 'step-start', stepId: 'after', stepType: 'transform' },
    { type: 'step-end', stepId: 'after', stepType: 'transform', output: { routed: 'true' } },
    {
      type: 'chain-end',
      output: { routed: 'true' },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'map-items': [
    { type: 'chain-start', chain: 'map-items' },
    { type: 'step-start', stepId: 'titles', stepType: 'map' },
    {
      type: 'step-end',
      stepId: 'titles',
      stepType: 'map',
      output: [
        { title: '#0: One', words: 1, question: 'why' },
        { title: '#1: Two', words: 2, question: 'why' },
        { title: '#2: Three', words: 3, question: 'why' },
      ],
    },
    {
      type: 'chain-end',
      output: [
        { title: '#0: One', words: 1, question: 'why' },
        { title: '#1: Two', words: 2, question: 'why' },
        { title: '#2: Three', words: 3, question: 'why' },
      ],
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'map-empty': [
    { type: 'chain-start', chain: 'map-empty' },
    { type: 'step-start', stepId: 'each', stepType: 'map' },
    { type: 'step-end', stepId: 'each', stepType: 'map', output: [] },
    { type: 'chain-end', output: [], usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} } },
  ],
  'map-invoke': [
    { type: 'chain-start', chain: 'map-invoke' },
    { type: 'step-start', stepId: 'summaries', stepType: 'map' },
    {
      type: 'step-end',
      stepId: 'summaries',
      stepType: 'map',
      output: [
        { text: 'Short.', usage: { inputTokens: 4, outputTokens: 2 } },
        { text: 'Short.', usage: { inputTokens: 4, outputTokens: 2 } },
      ],
    },
    {
      type: 'chain-end',
      output: [
        { text: 'Short.', usage: { inputTokens: 4, outputTokens: 2 } },
        { text: 'Short.', usage: { inputTokens: 4, outputTokens: 2 } },
      ],
      usage: {
        inputTokens: 8,
        outputTokens: 4,
        totalTokens: 12,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 8, outputTokens: 4 } },
      },
    },
  ],
  'split-single-variant': [
    { type: 'chain-start', chain: 'split-single-variant' },
    { type: 'step-start', stepId: 'experiment', stepType: 'split' },
    { type: 'step-start', stepId: 'style', stepType: 'transform' },
    { type: 'step-end', stepId: 'style', stepType: 'transform', output: { style: 'short' } },
    {
      type: 'step-end',
      stepId: 'experiment',
      stepType: 'split',
      output: { variant: 'only', output: { style: 'short' } },
    },
    {
      type: 'chain-end',
      output: { variant: 'only', output: { style: 'short' } },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'split-weighted': [
    { type: 'chain-start', chain: 'split-weighted' },
    { type: 'step-start', stepId: 'experiment', stepType: 'split' },
    { type: 'step-start', stepId: 'detailed', stepType: 'transform' },
    { type: 'step-end', stepId: 'detailed', stepType: 'transform', output: { style: 'detailed' } },
    {
      type: 'step-end',
      stepId: 'experiment',
      stepType: 'split',
      output: { variant: 'detailed', output: { style: 'detailed' } },
    },
    {
      type: 'chain-end',
      output: { variant: 'detailed', output: { style: 'detailed' } },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'nested-map-in-parallel': [
    { type: 'chain-start', chain: 'nested-map-in-parallel' },
    { type: 'step-start', stepId: 'fan', stepType: 'parallel' },
    {
      type: 'step-end',
      stepId: 'fan',
      stepType: 'parallel',
      output: {
        lengths: [
          { word: 'x', at: 0 },
          { word: 'y', at: 1 },
        ],
        first: { word: 'x' },
      },
    },
    {
      type: 'chain-end',
      output: {
        lengths: [
          { word: 'x', at: 0 },
          { word: 'y', at: 1 },
        ],
        first: { word: 'x' },
      },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'nested-choose-in-map': [
    { type: 'chain-start', chain: 'nested-choose-in-map' },
    { type: 'step-start', stepId: 'labels', stepType: 'map' },
    {
      type: 'step-end',
      stepId: 'labels',
      stepType: 'map',
      output: [
        { n: 3, sign: 'positive' },
        { n: -1, sign: 'other' },
        { n: 0, sign: 'other' },
      ],
    },
    {
      type: 'chain-end',
      output: [
        { n: 3, sign: 'positive' },
        { n: -1, sign: 'other' },
        { n: 0, sign: 'other' },
      ],
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'nested-parallel-in-choose': [
    { type: 'chain-start', chain: 'nested-parallel-in-choose' },
    { type: 'step-start', stepId: 'route', stepType: 'choose' },
    { type: 'step-start', stepId: 'both', stepType: 'parallel' },
    {
      type: 'step-end',
      stepId: 'both',
      stepType: 'parallel',
      output: { a: { v: 'A' }, b: { text: 'B', usage: { inputTokens: 2, outputTokens: 1 } } },
    },
    { type: 'step-start', stepId: 'joined', stepType: 'transform' },
    { type: 'step-end', stepId: 'joined', stepType: 'transform', output: { joined: 'A+B' } },
    { type: 'step-end', stepId: 'route', stepType: 'choose', output: { joined: 'A+B' } },
    {
      type: 'chain-end',
      output: { joined: 'A+B' },
      usage: {
        inputTokens: 2,
        outputTokens: 1,
        totalTokens: 3,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 2, outputTokens: 1 } },
      },
    },
  ],
  'respond-stream': [
    { type: 'chain-start', chain: 'respond-stream' },
    { type: 'step-start', stepId: 'answer', stepType: 'respond' },
    { type: 'text-delta', stepId: 'answer', delta: 'Support' },
    { type: 'text-delta', stepId: 'answer', delta: ' is' },
    { type: 'text-delta', stepId: 'answer', delta: ' closed' },
    { type: 'text-delta', stepId: 'answer', delta: ' on' },
    { type: 'text-delta', stepId: 'answer', delta: ' the' },
    { type: 'text-delta', stepId: 'answer', delta: ' weekend' },
    { type: 'text-delta', stepId: 'answer', delta: ',' },
    { type: 'text-delta', stepId: 'answer', delta: ' sorry' },
    { type: 'text-delta', stepId: 'answer', delta: '.' },
    {
      type: 'step-end',
      stepId: 'answer',
      stepType: 'respond',
      output: { text: 'Support is closed on the weekend, sorry.', usage: { inputTokens: 20, outputTokens: 9 } },
      usage: { inputTokens: 20, outputTokens: 9 },
    },
    {
      type: 'chain-end',
      output: null,
      usage: {
        inputTokens: 20,
        outputTokens: 9,
        totalTokens: 29,
        byModel: { 'anthropic.claude-3-5-sonnet-20240620-v1:0': { inputTokens: 20, outputTokens: 9 } },
      },
      text: 'Support is closed on the weekend, sorry.',
    },
  ],
  'reference-chain': [
    { type: 'chain-start', chain: 'reference-chain' },
    { type: 'step-start', stepId: 'classify', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'classify',
      stepType: 'invoke',
      output: { text: 'true', value: true, usage: { inputTokens: 11, outputTokens: 1 } },
      usage: { inputTokens: 11, outputTokens: 1 },
    },
    { type: 'step-start', stepId: 'route', stepType: 'choose' },
    { type: 'step-start', stepId: 'enrich', stepType: 'parallel' },
    {
      type: 'step-end',
      stepId: 'enrich',
      stepType: 'parallel',
      output: {
        keywords: { text: 'charge, twice', usage: { inputTokens: 8, outputTokens: 3 } },
        tone: { text: 'annoyed', usage: { inputTokens: 9, outputTokens: 1 } },
      },
    },
    {
      type: 'step-end',
      stepId: 'route',
      stepType: 'choose',
      output: {
        keywords: { text: 'charge, twice', usage: { inputTokens: 8, outputTokens: 3 } },
        tone: { text: 'annoyed', usage: { inputTokens: 9, outputTokens: 1 } },
      },
    },
    { type: 'step-start', stepId: 'answer', stepType: 'respond' },
    { type: 'text-delta', stepId: 'answer', delta: 'Sorry' },
    { type: 'text-delta', stepId: 'answer', delta: ' about' },
    { type: 'text-delta', stepId: 'answer', delta: ' the' },
    { type: 'text-delta', stepId: 'answer', delta: ' double' },
    { type: 'text-delta', stepId: 'answer', delta: ' charge' },
    { type: 'text-delta', stepId: 'answer', delta: ';' },
    { type: 'text-delta', stepId: 'answer', delta: ' a' },
    { type: 'text-delta', stepId: 'answer', delta: ' refund' },
    { type: 'text-delta', stepId: 'answer', delta: ' is' },
    { type: 'text-delta', stepId: 'answer', delta: ' on' },
    { type: 'text-delta', stepId: 'answer', delta: ' its' },
    { type: 'text-delta', stepId: 'answer', delta: ' way' },
    { type: 'text-delta', stepId: 'answer', delta: '.' },
    {
      type: 'step-end',
      stepId: 'answer',
      stepType: 'respond',
      output: {
        text: 'Sorry about the double charge; a refund is on its way.',
        usage: { inputTokens: 75, outputTokens: 13 },
      },
      usage: { inputTokens: 75, outputTokens: 13 },
    },
    {
      type: 'chain-end',
      output: {
        billing: true,
        route: {
          keywords: { text: 'charge, twice', usage: { inputTokens: 8, outputTokens: 3 } },
          tone: { text: 'annoyed', usage: { inputTokens: 9, outputTokens: 1 } },
        },
      },
      usage: {
        inputTokens: 103,
        outputTokens: 18,
        totalTokens: 121,
        byModel: {
          'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 19, outputTokens: 4 },
          'us.amazon.nova-lite-v1:0': { inputTokens: 9, outputTokens: 1 },
          'anthropic.claude-3-5-sonnet-20240620-v1:0': { inputTokens: 75, outputTokens: 13 },
        },
      },
      text: 'Sorry about the double charge; a refund is on its way.',
    },
  ],
  'retry-after-throttling': [
    { type: 'chain-start', chain: 'retry-after-throttling' },
    { type: 'step-start', stepId: 'classify', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'classify',
      stepType: 'invoke',
      output: { text: 'greeting', usage: { inputTokens: 3, outputTokens: 1 } },
      usage: { inputTokens: 3, outputTokens: 1 },
    },
    {
      type: 'chain-end',
      output: { text: 'greeting', usage: { inputTokens: 3, outputTokens: 1 } },
      usage: {
        inputTokens: 3,
        outputTokens: 1,
        totalTokens: 4,
        byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': { inputTokens: 3, outputTokens: 1 } },
      },
    },
  ],
  'retry-handler-error': [
    { type: 'chain-start', chain: 'retry-handler-error' },
    { type: 'step-start', stepId: 'flaky', stepType: 'task' },
    { type: 'step-end', stepId: 'flaky', stepType: 'task', output: { ok: true, calls: 2 } },
    {
      type: 'chain-end',
      output: { ok: true, calls: 2 },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'catch-fallback': [
    { type: 'chain-start', chain: 'catch-fallback' },
    { type: 'step-start', stepId: 'summary', stepType: 'invoke' },
    {
      type: 'step-end',
      stepId: 'summary',
      stepType: 'invoke',
      output: { text: 'No summary available.', degraded: true },
    },
    { type: 'step-start', stepId: 'after', stepType: 'transform' },
    { type: 'step-end', stepId: 'after', stepType: 'transform', output: { summary: 'No summary available.' } },
    {
      type: 'chain-end',
      output: { summary: 'No summary available.' },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'catch-task-failed': [
    { type: 'chain-start', chain: 'catch-task-failed' },
    { type: 'step-start', stepId: 'offer', stepType: 'task' },
    { type: 'step-end', stepId: 'offer', stepType: 'task', output: { offer: null } },
    {
      type: 'chain-end',
      output: { offer: null },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'catch-empty-fallback': [
    { type: 'chain-start', chain: 'catch-empty-fallback' },
    { type: 'step-start', stepId: 'offer', stepType: 'task' },
    { type: 'step-end', stepId: 'offer', stepType: 'task', output: null },
    { type: 'step-start', stepId: 'after', stepType: 'transform' },
    { type: 'step-end', stepId: 'after', stepType: 'transform', output: { hadOffer: 'false' } },
    {
      type: 'chain-end',
      output: { hadOffer: 'false' },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'timeout-caught': [
    { type: 'chain-start', chain: 'timeout-caught' },
    { type: 'step-start', stepId: 'slow', stepType: 'task' },
    { type: 'step-end', stepId: 'slow', stepType: 'task', output: { late: true } },
    {
      type: 'chain-end',
      output: { late: true },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
  'input-validated': [
    { type: 'chain-start', chain: 'input-validated' },
    { type: 'step-start', stepId: 'echo', stepType: 'transform' },
    { type: 'step-end', stepId: 'echo', stepType: 'transform', output: { q: 'ok?' } },
    {
      type: 'chain-end',
      output: { q: 'ok?' },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} },
    },
  ],
};
