import fc from 'fast-check';
import type {
  CasePlan,
  ConditionPlan,
  HandlerPlan,
  InputPlan,
  PathPlan,
  PolicyPlan,
  ReplyPlan,
  RespondPlan,
  StepPlan,
  TemplatePlan,
  ValuePlan,
  Want,
} from './case-plan';

/**
 * Pieces of awkward text: what intrinsic functions reserve (`' { } \`), JSON and JSONPath syntax, control characters,
 * line separators, emoji (surrogate pairs, ZWJ sequences), chat control tokens, the `| json` filter as literal text,
 * and strings that read like numbers or keywords.
 */
const FRAGMENTS = [
  "'",
  '"',
  '{',
  '}',
  '{}',
  '\\',
  '\\\\',
  '\\{',
  "\\'",
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001f',
  '\u2028',
  '😀',
  '👩‍💻',
  'é',
  ' ',
  '| json',
  '$',
  '$.input',
  '.$',
  'States.Format(',
  '(',
  ')',
  ',',
  '<|eot_id|>',
  '<|start_header_id|>user<|end_header_id|>',
  '[INST]',
  '</s>',
  '\n\nHuman:',
  '1e21',
  'null',
  'true',
  '%s',
  '*',
  'Fine',
  'ok',
];

/** An integer past 2^53, which JSON carries but a double rounds (`12345678901234567000`). */
const BIG_INTEGER = Number('12345678901234567890');

/** Awkward text, often empty; shrinks towards `''`. */
const awkwardText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 3, unit: 'grapheme' }) },
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join(''));

const nonEmptyText = awkwardText.filter((text) => text !== '');

const WANTS: Want[] = ['scalar', 'string', 'number', 'boolean', 'array', 'object', 'any'];

/**
 * A path plan: mostly to what the reader wants (a scalar for a bare placeholder), sometimes to another type, rarely
 * to nothing or into a mistyped value, so that most runs get past their paths and some fail on them.
 */
const pathPlan = (preferred: Want): fc.Arbitrary<PathPlan> =>
  fc.record({
    want: fc.oneof(
      { weight: 40, arbitrary: fc.constant(preferred) },
      { weight: 3, arbitrary: fc.constantFrom(...WANTS) },
      { weight: 1, arbitrary: fc.constantFrom<Want>('missing', 'stray') },
    ),
    pick: fc.nat({ max: 40 }),
    risky: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

/**
 * Literal text of a template: mostly with doubled braces broken up (`{{` and `}}` delimit placeholders, and
 * `defineChain` refuses them unbalanced), sometimes as is, to check that refusal.
 */
const templateText = fc.oneof(
  { weight: 9, arbitrary: awkwardText.map((text) => text.replace(/\{(?=\{)/g, '{ ').replace(/\}(?=\})/g, '} ')) },
  { weight: 1, arbitrary: awkwardText },
);

const templatePlanOf = (minLength: number): fc.Arbitrary<TemplatePlan> =>
  fc.array(
    fc.oneof(
      fc.record({ text: templateText }),
      fc.record({
        path: pathPlan('scalar'),
        json: fc.boolean(),
        spaced: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      }),
    ),
    { minLength, maxLength: 4 },
  );
const templatePlan = templatePlanOf(0);
/** A prompt: rarely empty (models refuse an empty message, which would end most runs at their first model call). */
const promptPlan = fc.oneof({ weight: 9, arbitrary: templatePlanOf(1) }, { weight: 1, arbitrary: templatePlanOf(0) });

/** Object keys: mostly plain, sometimes what JSON, JSONPath or ASL treat specially (`x.$` ends like an ASL path key). */
const key = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom('a', 'b_c', 'text', 'value', 'output', 'usage') },
  { weight: 1, arbitrary: fc.constantFrom('x.$', 'with space', '', 'ünï', '$', 'k-1') },
);

const literal = fc.oneof(
  awkwardText,
  fc.constantFrom('gold', 'Fine.', 'input'),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0.1, -0, 1e21, BIG_INTEGER, 5e-324, 1.5),
  fc.boolean(),
  fc.constant(null),
);

const valuePlan: fc.Arbitrary<ValuePlan> = fc.letrec<{ value: ValuePlan }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: fc.record({ path: pathPlan('any') }) },
    { weight: 2, arbitrary: fc.record({ template: templatePlan }) },
    { weight: 2, arbitrary: fc.record({ literal }) },
    {
      weight: 1,
      arbitrary: fc.record({
        object: fc.array(fc.tuple(key, tie('value')), { maxLength: 3 }),
      }),
    },
  ),
})).value;

const entries = (min: number) =>
  fc.uniqueArray(fc.tuple(key, valuePlan), {
    minLength: min,
    maxLength: 3,
    selector: ([key]) => key,
  });

const comparable = fc.oneof(
  fc.constantFrom('Fine.', 'ok', 'true', '', 'v0', 'gold'),
  awkwardText,
  fc.integer({ min: -3, max: 100 }),
  fc.constantFrom(0.5, 1e21, -0),
  fc.boolean(),
  fc.constant(null),
);

const conditionPlan: fc.Arbitrary<ConditionPlan> = fc.letrec<{ condition: ConditionPlan }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constantFrom('eq' as const, 'ne' as const),
        path: pathPlan('any'),
        value: comparable,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
        path: pathPlan('number'),
        value: fc.oneof(fc.integer({ min: -3, max: 100 }), fc.constantFrom(0.5, 'm', '')),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constantFrom('isTrue' as const, 'isFalse' as const, 'exists' as const),
        path: pathPlan('boolean'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('matches' as const),
        path: pathPlan('string'),
        pattern: fc.oneof(fc.constantFrom('*', 'F*', '*.', '\\*', 'a*b', '', '*😀*', 'Fine.'), awkwardText),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constantFrom('and' as const, 'or' as const),
        conditions: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('not' as const), condition: tie('condition') }) },
  ),
})).condition;

/** Error names policies match: ASL's, Bedrock's, the handlers', and ones nothing raises. */
const ERROR_NAMES = [
  'States.TaskFailed',
  'States.Timeout',
  'States.Runtime',
  'States.BranchFailed',
  'Bedrock.ThrottlingException',
  'Bedrock.ValidationException',
  'Bedrock.ModelErrorException',
  'Bedrock.ModelTimeoutException',
  'Lambda.ResourceNotFoundException',
  'Provider.RateLimited',
  'Provider.ServerError',
  'Provider.BadRequest',
  'BedrockAgentRuntime.ResourceNotFoundException',
  'FuzzError',
  'Other.Error',
];
const errorNames: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<string[]>(['States.ALL']) },
  { weight: 3, arbitrary: fc.uniqueArray(fc.constantFrom(...ERROR_NAMES), { minLength: 1, maxLength: 3 }) },
);

const HANDLER_ERRORS = ['FuzzError', 'Other.Error', 'TypeError', 'Error', 'States.TaskFailed'];

const handlerValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>({ a: 'x' }, { a: { b: [1, 2] } }, [1, 2], 1e21, BIG_INTEGER, 0.30000000000000004, null, ''),
);

const handlerPlan: fc.Arbitrary<HandlerPlan> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'echo' as const }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('const' as const), value: handlerValue }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('throw' as const), errorName: fc.constantFrom(...HANDLER_ERRORS) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('flaky' as const),
      errorName: fc.constantFrom(...HANDLER_ERRORS),
      failures: fc.integer({ min: 1, max: 3 }),
      value: handlerValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('slow' as const), value: handlerValue }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
);

const BEDROCK_FAILURES = [
  'Bedrock.ThrottlingException',
  'Bedrock.ValidationException',
  'Bedrock.ModelErrorException',
  'Bedrock.ServiceUnavailableException',
  'Bedrock.AccessDeniedException',
  'Bedrock.InternalServerException',
];

/** A fake answer: mostly plain, sometimes throttled first, failing, timing out or (streams) failing midway. */
const replyPlan = (stream: boolean): fc.Arbitrary<ReplyPlan> =>
  fc
    .record({
      answer: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 16 }) }),
      free: awkwardText,
      echo: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(true) }),
      failure: fc.oneof(
        { weight: 30, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: fc.record({ throttle: fc.integer({ min: 1, max: 3 }) }) },
        { weight: 1, arbitrary: fc.record({ fail: fc.constantFrom(...BEDROCK_FAILURES) }) },
        { weight: 1, arbitrary: fc.record({ timeout: fc.constant(true) }) },
        ...(stream ? [{ weight: 2, arbitrary: fc.record({ failAfterDeltas: fc.integer({ min: 0, max: 3 }) }) }] : []),
      ),
    })
    .map(({ answer, free, echo, failure }) => defined({ answer, free, echo, ...failure }));

const rarely = <T>(arbitrary: fc.Arbitrary<T>, weight = 1, of = 4): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: of, arbitrary: fc.constant(undefined) }, { weight, arbitrary });

const stopSequences = fc.array(
  fc.oneof(fc.constantFrom('\n\nHuman:', 'STOP', '}', '\n', '</answer>', '<|eot_id|>'), nonEmptyText),
  { minLength: 1, maxLength: 5 },
);

/** Drops keys whose value is `undefined`, so plans stay plain data. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A policy; `timeouts` is how often (in 12ths) it has a timeout. */
const policyPlan = (fallback: fc.Arbitrary<StepPlan[]>, timeouts: number): fc.Arbitrary<PolicyPlan> =>
  fc
    .record({
      retry: rarely(
        fc
          .record({
            errors: errorNames,
            maxAttempts: rarely(fc.constantFrom(0, 1, 2, 3), 3, 1),
            intervalSeconds: rarely(fc.constantFrom(1, 2)),
            backoffRate: rarely(fc.constantFrom(1, 1.5, 2)),
            maxDelaySeconds: rarely(fc.constantFrom(1, 5)),
            jitter: rarely(fc.constantFrom('FULL' as const, 'NONE' as const)),
          })
          .map(defined),
        3,
        2,
      ),
      catch: rarely(fc.record({ errors: errorNames, fallback }), 3, 2),
      timeoutSeconds: timeouts > 0 ? rarely(fc.constantFrom(1, 2), timeouts, 12 - timeouts) : fc.constant(undefined),
    })
    .map(defined);

/** Bedrock families mostly (0-7), other providers' models sometimes (8-10). */
const FAMILY = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 7 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8, max: 10 }) },
);
const ID_STEM = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 4 }) });

/** Steps up to a nesting depth; containers get rarer as they nest. */
const stepPlan: fc.Memo<StepPlan> = fc.memo<StepPlan>((depth): fc.Arbitrary<StepPlan> => {
  const fallback: fc.Arbitrary<StepPlan[]> =
    depth > 1 ? fc.array(stepPlan(depth - 1), { maxLength: 2 }) : fc.constant([]);
  // Timeouts: often on the steps Step Functions times (Task states), rarely on containers (runtime-local only).
  const policy = (timeouts: number): fc.Arbitrary<PolicyPlan | undefined> =>
    rarely(policyPlan(fallback, timeouts), 1, 3);
  const leaf: fc.Arbitrary<StepPlan> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .record({
          kind: fc.constant('invoke' as const),
          stem: ID_STEM,
          family: FAMILY,
          output: fc.constantFrom('text' as const, 'json' as const, 'boolean' as const),
          prompt: promptPlan,
          system: rarely(templatePlan),
          prefill: rarely(fc.oneof(fc.constantFrom('{', '[', ' ', 'Answer: ', '"'), awkwardText), 1, 3),
          stopSequences: rarely(stopSequences),
          maxTokens: rarely(fc.constantFrom(1, 50, 4096)),
          temperature: rarely(fc.constantFrom(0, 0.5, 1)),
          topP: rarely(fc.constantFrom(0.9, 1)),
          reply: replyPlan(false),
          policy: policy(3),
        })
        .map(defined),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          kind: fc.constant('retrieve' as const),
          stem: ID_STEM,
          missingKnowledgeBase: fc.oneof({ weight: 20, arbitrary: fc.constant(false) }, fc.constant(true)),
          query: templatePlan,
          topK: rarely(fc.constantFrom(1, 2, 10)),
          policy: policy(3),
        })
        .map(defined),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          kind: fc.constant('task' as const),
          stem: ID_STEM,
          handler: handlerPlan,
          input: rarely(valuePlan, 2, 3),
          policy: policy(3),
        })
        .map(defined),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          kind: fc.constant('transform' as const),
          stem: ID_STEM,
          set: entries(1),
          policy: rarely(policy(0), 1, 6),
        })
        .map(defined),
    },
  );
  if (depth <= 1) return leaf;
  const inner = fc.array(stepPlan(depth - 1), { minLength: 1, maxLength: 2 });
  const container = fc.oneof(
    fc
      .record({
        kind: fc.constant('parallel' as const),
        stem: ID_STEM,
        branches: fc.array(inner, { minLength: 1, maxLength: 3 }),
        policy: policy(1),
      })
      .map(defined),
    fc
      .record({
        kind: fc.constant('choose' as const),
        stem: ID_STEM,
        cases: fc.array(fc.record({ when: conditionPlan, steps: fc.array(stepPlan(depth - 1), { maxLength: 2 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        otherwise: rarely(fc.array(stepPlan(depth - 1), { maxLength: 2 }), 1, 1),
        policy: policy(1),
      })
      .map(defined),
    fc
      .record({
        kind: fc.constant('map' as const),
        stem: ID_STEM,
        items: pathPlan('array'),
        maxConcurrency: rarely(fc.constantFrom(0, 1, 2, 40), 1, 1),
        steps: inner,
        policy: policy(1),
      })
      .map(defined),
    fc
      .record({
        kind: fc.constant('split' as const),
        stem: ID_STEM,
        variants: fc.array(
          fc.record({
            weight: fc.oneof(fc.constantFrom(1, 2, 3, 0.5), fc.double({ min: 0.001, max: 10, noNaN: true })),
            steps: fc.array(stepPlan(depth - 1), { maxLength: 2 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        policy: policy(1),
      })
      .map(defined),
  );
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 2, arbitrary: container });
});

const respondPlan: fc.Arbitrary<RespondPlan> = fc
  .record({
    family: FAMILY,
    system: rarely(templatePlan),
    prompt: fc.oneof({ weight: 30, arbitrary: promptPlan }, { weight: 1, arbitrary: fc.constant(undefined) }),
    messages: rarely(
      fc.record({ from: rarely(pathPlan('array'), 1, 5), last: rarely(fc.constantFrom(1, 2, 10), 1, 1) }).map(defined),
      1,
      2,
    ),
    maxTokens: rarely(fc.constantFrom(1, 100)),
    temperature: rarely(fc.constantFrom(0, 1)),
    stopSequences: rarely(stopSequences),
    reply: replyPlan(true),
  })
  .map(defined);

/** Bedrock refuses blank message text: mostly some text, sometimes none. */
const content = fc.oneof({ weight: 8, arbitrary: nonEmptyText }, { weight: 1, arbitrary: awkwardText });
/** A chat history as Bedrock takes it: user and assistant turns in alternation, the user first. */
const chatHistory: fc.Arbitrary<Array<{ role: string; content: unknown }>> = fc
  .array(fc.tuple(content, content), { maxLength: 2 })
  .map((turns) =>
    turns.flatMap(([asked, answered]) => [
      { role: 'user', content: asked },
      { role: 'assistant', content: answered },
    ]),
  );
const inputPlan: fc.Arbitrary<InputPlan> = fc.record({
  q: content,
  text: awkwardText,
  n: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  big: fc.constantFrom(1e21, BIG_INTEGER, 0.1, 1e-7, 2 ** 53 + 2, -0),
  flag: fc.boolean(),
  items: fc.array(fc.record({ title: awkwardText, n: fc.integer({ min: -5, max: 100 }) }), { maxLength: 3 }),
  obj: fc.record({ a: awkwardText, b: fc.integer() }),
  messages: fc.oneof(
    { weight: 6, arbitrary: chatHistory },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.record({ role: fc.constantFrom('user', 'assistant'), content: content as fc.Arbitrary<unknown> }),
        {
          maxLength: 4,
        },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Array<{ role: string; content: unknown }>>(
        [{ role: 'system', content: 'x' }],
        [{ role: 'user', content: 5 }],
        [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
        [{ role: 'assistant', content: '' }],
      ),
    },
  ),
  mistype: fc.oneof(
    { weight: 5, arbitrary: fc.constant<Array<[string, unknown]>>([]) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.tuple(
          fc.constantFrom('q', 'n', 'flag', 'items', 'obj', 'messages', 'big'),
          fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 1 })),
        ),
        { minLength: 1, maxLength: 2 },
      ),
    },
  ),
});

const documents = fc.array(
  fc
    .record({
      text: fc.oneof(
        fc.constantFrom('ok Fine refunds take 14 days', 'true false null', 'emoji 😀 and quotes \' "', 'a b c json'),
        awkwardText,
      ),
      source: rarely(fc.constantFrom('s3://kb/a.md', 'doc-1', ''), 1, 1),
    })
    .map(defined),
  { maxLength: 3 },
);

/**
 * Plans of whole cases: 1-4 top-level steps nested up to three deep, a final `respond` half the time, a chain
 * `output` a third of the time, the input, the knowledge base's documents, the random draw, and sometimes a
 * throttle of the first model calls.
 *
 * @example
 * ```ts
 * fc.sample(casePlanArbitrary, { seed: 1, numRuns: 3 });
 * ```
 */
export const casePlanArbitrary: fc.Arbitrary<CasePlan> = fc
  .record({
    steps: fc.array(stepPlan(3), { minLength: 1, maxLength: 4 }),
    respond: rarely(respondPlan, 1, 1),
    output: rarely(entries(1), 1, 2),
    input: inputPlan,
    documents,
    random: fc.oneof(
      fc.constantFrom(0, 0.5, 0.25, 0.75, 1 / 3, 0.999999),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
    ),
    throttle: rarely(fc.integer({ min: 1, max: 2 }), 1, 25),
  })
  .map(defined);
