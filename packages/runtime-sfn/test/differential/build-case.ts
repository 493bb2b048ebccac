import {
  and,
  type Condition,
  choose,
  eq,
  exists,
  gt,
  gte,
  invoke,
  isFalse,
  isTrue,
  lt,
  lte,
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
import type { FakeReply } from '@stepwise/runtime-local';
import type {
  CasePlan,
  ConditionPlan,
  HandlerPlan,
  PathPlan,
  PolicyPlan,
  ReplyPlan,
  RespondPlan,
  StepPlan,
  TemplatePlan,
  ValuePlan,
  Want,
} from './case-plan';
import {
  type FuzzCase,
  HANDLER_SLOTS,
  type HandlerSpec,
  KNOWLEDGE_BASE_ID,
  MISSING_HANDLER,
  MISSING_KNOWLEDGE_BASE_ID,
} from './fuzz-case';

/**
 * Model references: the four Bedrock families, bare and behind inference profiles (0-7), then other providers'
 * models (8-10), which Step Functions calls with an HTTP Task.
 */
const MODEL_IDS = [
  'anthropic.claude-3-haiku-20240307-v1:0',
  'meta.llama3-8b-instruct-v1:0',
  'us.amazon.nova-lite-v1:0',
  'mistral.mistral-7b-instruct-v0:2',
  'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  'amazon.nova-micro-v1:0',
  'us.meta.llama3-1-70b-instruct-v1:0',
  'mistral.mistral-large-2402-v1:0',
  'openai:gpt-4o-mini',
  'compatible:llama-3.1-8b-instruct',
  'anthropic:claude-3-5-haiku-latest',
] as const;
/** `respond` streams from Bedrock (ConverseStream) or, on SFN, through the AI SDK's OpenAI-compatible clients. */
const RESPOND_MODEL_IDS = MODEL_IDS.slice(0, -1);

/** Step id stems: `s` and `S` collide once capitalised into state names; the long one tests the 80-character cap. */
const ID_STEMS = ['s', 'S', 'step_', 'Classify', 'aVeryLongStepIdentifierThatNamesALotOfThings'] as const;

const TEXT_ANSWERS = ['Fine.', '', ' ', "a {b} 'c' \\d", 'line\nbreak', '😀 emoji', '<|eot_id|>', 'true', '{"a":1}'];
const BOOLEAN_ANSWERS = ['true', 'false', ' true', 'false\n', '"true"', 'TRUE', 'yes', '', 'null', '1'];
const JSON_ANSWERS = [
  '{"a":1}',
  '[1,"x",null]',
  '"s"',
  '12',
  'true',
  'null',
  '{"a":{"b":[1,2]}}',
  '1e21',
  '12345678901234567890',
  '0.1',
  '',
  'not json',
  '{"a":1',
  '{"u":"\\u0000é😀"}',
];
/** Answers that complete a JSON prefill of `{` or `[`. */
const JSON_CONTINUATIONS = ['"a":1}', '}', '"k":"v","n":2}', '1,2]', ']'];

type SlotType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' | 'any';

/** A path a step may read, with the type its value usually has; `risky` when it is often missing at run time. */
interface Slot {
  path: string;
  type: SlotType;
  risky?: boolean;
}

/** The input's keys the chains read, with the types the generated input usually gives them. */
const INPUT_SLOTS: Slot[] = [
  { path: 'input.q', type: 'string' },
  { path: 'input.text', type: 'string' },
  { path: 'input.n', type: 'number' },
  { path: 'input.big', type: 'number' },
  { path: 'input.flag', type: 'boolean' },
  { path: 'input.items', type: 'array' },
  { path: 'input.empty', type: 'array' },
  { path: 'input.obj', type: 'object' },
  { path: 'input.obj.a', type: 'string' },
  { path: 'input.obj.b', type: 'number' },
  { path: 'input.nil', type: 'null' },
  { path: 'input.messages', type: 'array' },
  { path: 'input.items[0].title', type: 'string', risky: true },
  { path: 'input', type: 'object' },
];
/** Paths to nothing. */
const MISSING_PATHS = ['input.missing', 'input.obj.missing', 'input.items[7]', 'input.empty[0]', 'input.nil.x'];
/** Paths that read into a value of another type (a string's `length`, an index into a string, a number's key). */
const STRAY_PATHS = ['input.q.length', 'input.q[0]', 'input.items.length', 'input.n.x', 'input.flag[0]'];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What a step may read. */
interface Scope {
  slots: Slot[];
}

function fits(type: SlotType, want: Want): boolean {
  switch (want) {
    case 'any':
      return true;
    case 'scalar':
      return type === 'string' || type === 'number' || type === 'boolean';
    case 'missing':
    case 'stray':
      return false;
    default:
      return type === want;
  }
}

/**
 * Turns a plan into a case: step ids, paths in scope, fake answers and handlers. Deterministic, so a shrunk plan
 * builds the same smaller case every time.
 */
class CaseBuilder {
  private readonly counters = new Map<string, number>();
  private readonly byStep: { [stepId: string]: FakeReply } = {};
  private readonly handlers: { [name: string]: HandlerSpec } = {};
  private handlerCount = 0;

  build(plan: CasePlan): FuzzCase {
    const scope: Scope = { slots: [...INPUT_SLOTS] };
    const steps = this.sequence(plan.steps, scope);
    if (plan.respond) steps.push(this.respond(plan.respond, scope));
    const fuzzCase: FuzzCase = {
      steps,
      input: buildInput(plan),
      models: { byStep: this.byStep, default: 'ok', ...(plan.throttle ? { throttle: plan.throttle } : {}) },
      documents: plan.documents,
      handlers: this.handlers,
      random: plan.random,
    };
    if (plan.output) {
      // The chain output sees every top-level step, `respond` included.
      const outputScope: Scope = { slots: [...scope.slots] };
      const last = steps.at(-1);
      if (last?.type === 'respond') {
        outputScope.slots.push(
          { path: `steps.${last.id}.text`, type: 'string' },
          { path: `steps.${last.id}.usage.outputTokens`, type: 'number' },
        );
      }
      fuzzCase.output = this.object(plan.output, outputScope);
    }
    return fuzzCase;
  }

  private id(stem: number): string {
    const name = ID_STEMS[stem % ID_STEMS.length]!;
    const next = (this.counters.get(name) ?? 0) + 1;
    this.counters.set(name, next);
    return `${name}${next}`;
  }

  /** Steps in order; each sees the ones before it. Adds the steps' slots to `scope`. */
  private sequence(plans: StepPlan[], scope: Scope): Step[] {
    const steps: Step[] = [];
    for (const plan of plans) {
      const step = this.step(plan, scope);
      steps.push(step);
      scope.slots.push(...slotsOf(step));
    }
    return steps;
  }

  private inner(plans: StepPlan[], scope: Scope): Step[] {
    return this.sequence(plans, { slots: [...scope.slots] });
  }

  private step(plan: StepPlan, scope: Scope): Step {
    const id = this.id(plan.stem);
    const policy = plan.policy ? this.policy(plan.policy, scope) : undefined;
    const withPolicy = policy ? { policy } : {};
    switch (plan.kind) {
      case 'invoke': {
        // An echo answers with the prompt, which only a text invoke takes as it is.
        const answer = plan.output === 'text' ? plan.reply : { ...plan.reply, echo: false };
        this.byStep[id] = reply(answer, answersFor(plan.output, plan.prefill));
        return invoke(id, {
          model: MODEL_IDS[plan.family % MODEL_IDS.length]!,
          prompt: this.template(plan.prompt, scope),
          ...(plan.system ? { system: this.template(plan.system, scope) } : {}),
          ...(plan.prefill !== undefined ? { prefill: plan.prefill } : {}),
          output: plan.output,
          ...(plan.stopSequences ? { stopSequences: plan.stopSequences } : {}),
          ...(plan.maxTokens !== undefined ? { maxTokens: plan.maxTokens } : {}),
          ...(plan.temperature !== undefined ? { temperature: plan.temperature } : {}),
          ...(plan.topP !== undefined ? { topP: plan.topP } : {}),
          ...withPolicy,
        });
      }
      case 'retrieve':
        return retrieve(id, {
          knowledgeBaseId: plan.missingKnowledgeBase ? MISSING_KNOWLEDGE_BASE_ID : KNOWLEDGE_BASE_ID,
          query: this.template(plan.query, scope),
          ...(plan.topK !== undefined ? { topK: plan.topK } : {}),
          ...withPolicy,
        });
      case 'task': {
        const handler = this.handler(plan.handler);
        // A slow handler waits for its step's timeout: without one it would only stop at its safety cap.
        const slow = plan.handler.kind === 'slow';
        const timed = slow && policy?.timeoutSeconds === undefined ? { policy: { ...policy, timeoutSeconds: 1 } } : {};
        return task(id, {
          handler,
          ...(plan.input ? { input: this.value(plan.input, scope) } : {}),
          ...withPolicy,
          ...timed,
        });
      }
      case 'transform':
        return transform(id, { set: this.object(plan.set, scope), ...withPolicy });
      case 'parallel': {
        const branches: { [name: string]: Step[] } = {};
        plan.branches.forEach((branch, index) => {
          branches[`b${index}`] = this.inner(branch, scope);
        });
        return parallel(id, branches, withPolicy);
      }
      case 'choose': {
        const cases = plan.cases.map((entry) =>
          when(this.condition(entry.when, scope), this.inner(entry.steps, scope)),
        );
        const otherwise = plan.otherwise ? this.inner(plan.otherwise, scope) : undefined;
        return choose(id, cases, otherwise, withPolicy);
      }
      case 'map': {
        const items = this.path(plan.items, scope, (type) => type === 'array' || type === 'any');
        const inMap: Scope = {
          slots: [
            ...scope.slots,
            { path: 'item', type: 'any' },
            { path: 'item.title', type: 'string', risky: true },
            { path: 'item.n', type: 'number', risky: true },
            { path: 'index', type: 'number' },
          ],
        };
        return map(id, {
          items,
          ...(plan.maxConcurrency !== undefined ? { maxConcurrency: plan.maxConcurrency } : {}),
          steps: this.sequence(plan.steps, inMap),
          ...withPolicy,
        });
      }
      case 'split': {
        const variants: { [name: string]: { weight: number; steps: Step[] } } = {};
        plan.variants.forEach((variant, index) => {
          variants[`v${index}`] = { weight: variant.weight, steps: this.inner(variant.steps, scope) };
        });
        return split(id, variants, withPolicy);
      }
    }
  }

  private respond(plan: RespondPlan, scope: Scope): Step {
    const id = this.id(0);
    this.byStep[id] = reply(plan.reply, TEXT_ANSWERS);
    return respond(id, {
      model: RESPOND_MODEL_IDS[plan.family % RESPOND_MODEL_IDS.length]!,
      ...(plan.system ? { system: this.template(plan.system, scope) } : {}),
      ...(plan.prompt ? { prompt: this.template(plan.prompt, scope) } : {}),
      ...(plan.messages
        ? {
            messages: {
              from: plan.messages.from
                ? this.path(plan.messages.from, scope, (type) => type === 'array' || type === 'any')
                : 'input.messages',
              ...(plan.messages.last !== undefined ? { last: plan.messages.last } : {}),
            },
          }
        : {}),
      ...(plan.maxTokens !== undefined ? { maxTokens: plan.maxTokens } : {}),
      ...(plan.temperature !== undefined ? { temperature: plan.temperature } : {}),
      ...(plan.stopSequences ? { stopSequences: plan.stopSequences } : {}),
    });
  }

  private handler(plan: HandlerPlan): string {
    if (plan.kind === 'missing' || this.handlerCount >= HANDLER_SLOTS) return MISSING_HANDLER;
    const name = `h${this.handlerCount++}`;
    this.handlers[name] = plan;
    return name;
  }

  private policy(plan: PolicyPlan, scope: Scope): StepPolicy {
    const policy: StepPolicy = {};
    if (plan.retry) policy.retry = { ...plan.retry };
    if (plan.catch) policy.catch = { errors: plan.catch.errors, fallback: this.inner(plan.catch.fallback, scope) };
    if (plan.timeoutSeconds !== undefined) policy.timeoutSeconds = plan.timeoutSeconds;
    return policy;
  }

  /**
   * A path for a plan. `accepts` says which types the reader can take: a step output of another type would be
   * refused by `defineChain`, which knows step outputs' types, so such a pick falls back to the input, whose type
   * nobody knows before run time (missing and mistyped values come from there). `missing` and `stray` paths read
   * the input too.
   */
  private path(plan: PathPlan, scope: Scope, accepts: (type: SlotType) => boolean = () => true): string {
    if (plan.want === 'missing') return MISSING_PATHS[plan.pick % MISSING_PATHS.length]!;
    if (plan.want === 'stray') return STRAY_PATHS[plan.pick % STRAY_PATHS.length]!;
    const slots = plan.risky ? scope.slots : scope.slots.filter((slot) => !slot.risky);
    let options = slots.filter((slot) => fits(slot.type, plan.want));
    if (options.length === 0) options = slots;
    const slot = options[plan.pick % options.length]!;
    if (!slot.path.startsWith('steps.') || accepts(slot.type)) return slot.path;
    const unknown = slots.filter((other) => !other.path.startsWith('steps.') && fits(other.type, plan.want));
    const fallback = unknown.length > 0 ? unknown : INPUT_SLOTS;
    return fallback[plan.pick % fallback.length]!.path;
  }

  private template(plan: TemplatePlan, scope: Scope): string {
    return plan
      .map((part) => {
        if ('text' in part) return part.text;
        const path = this.path(part.path, scope, part.json ? undefined : isScalar);
        const inner = part.json ? `${path} | json` : path;
        return part.spaced ? `{{ ${inner} }}` : `{{${inner}}}`;
      })
      .join('');
  }

  private value(plan: ValuePlan, scope: Scope): ValueSpec {
    if ('path' in plan) return this.path(plan.path, scope);
    if ('template' in plan) return this.template(plan.template, scope);
    if ('literal' in plan) return plan.literal;
    return this.object(plan.object, scope);
  }

  private object(entries: Array<[string, ValuePlan]>, scope: Scope): { [key: string]: ValueSpec } {
    const out: { [key: string]: ValueSpec } = {};
    for (const [key, plan] of entries) out[key] = this.value(plan, scope);
    return out;
  }

  private condition(plan: ConditionPlan, scope: Scope): Condition {
    switch (plan.op) {
      case 'and':
        return and(...plan.conditions.map((inner) => this.condition(inner, scope)));
      case 'or':
        return or(...plan.conditions.map((inner) => this.condition(inner, scope)));
      case 'not':
        return not(this.condition(plan.condition, scope));
      case 'eq':
        return eq(this.path(plan.path, scope, comparesWith(plan.value)), plan.value);
      case 'ne':
        return ne(this.path(plan.path, scope, comparesWith(plan.value)), plan.value);
      case 'gt':
        return gt(this.path(plan.path, scope, comparesWith(plan.value)), plan.value);
      case 'gte':
        return gte(this.path(plan.path, scope, comparesWith(plan.value)), plan.value);
      case 'lt':
        return lt(this.path(plan.path, scope, comparesWith(plan.value)), plan.value);
      case 'lte':
        return lte(this.path(plan.path, scope, comparesWith(plan.value)), plan.value);
      case 'isTrue':
        return isTrue(this.path(plan.path, scope, comparesWith(true)));
      case 'isFalse':
        return isFalse(this.path(plan.path, scope, comparesWith(false)));
      case 'exists':
        return exists(this.path(plan.path, scope));
      case 'matches':
        return matches(this.path(plan.path, scope, comparesWith('')), plan.pattern);
    }
  }
}

const isScalar = (type: SlotType) => type === 'string' || type === 'number' || type === 'boolean' || type === 'any';

/** The slot types a comparison with `value` can fit (`any`: a type known only at run time). */
function comparesWith(value: string | number | boolean | null): (type: SlotType) => boolean {
  const wanted = value === null ? 'null' : typeof value;
  return (type) => type === 'any' || type === wanted;
}

function answersFor(output: 'text' | 'json' | 'boolean', prefill: string | undefined): string[] {
  if (output === 'boolean') return BOOLEAN_ANSWERS;
  if (output === 'text') return TEXT_ANSWERS;
  return prefill === '{' || prefill === '[' ? [...JSON_CONTINUATIONS, ...JSON_ANSWERS] : JSON_ANSWERS;
}

function reply(plan: ReplyPlan, answers: string[]): FakeReply {
  const text = plan.answer < answers.length ? answers[plan.answer]! : plan.free;
  const scripted: Exclude<FakeReply, string> = {};
  if (plan.echo) scripted.echo = true;
  if (plan.throttle) scripted.throttle = plan.throttle;
  if (plan.fail) scripted.fail = plan.fail;
  if (plan.timeout) scripted.timeout = true;
  if (plan.failAfterDeltas !== undefined) scripted.failAfterDeltas = plan.failAfterDeltas;
  return Object.keys(scripted).length === 0 ? text : { text, ...scripted };
}

/** The slots a step's output gives the steps after it. */
function slotsOf(step: Step): Slot[] {
  const at = `steps.${step.id}`;
  switch (step.type) {
    case 'invoke': {
      // A Mistral invoke's counts are 0 on SFN (a known difference): reading them, whole or in part, would make the
      // rest of the run differ for that reason alone, so the chains rarely do (containers' outputs still may).
      const counted = !step.model.startsWith('mistral.');
      const slots: Slot[] = [
        { path: `${at}.text`, type: 'string' },
        ...(counted
          ? [
              { path: at, type: 'object' as const },
              { path: `${at}.usage.outputTokens`, type: 'number' as const },
            ]
          : []),
      ];
      if (step.output === 'boolean') slots.push({ path: `${at}.value`, type: 'boolean' });
      if (step.output === 'json')
        slots.push({ path: `${at}.value`, type: 'any' }, { path: `${at}.value.a`, type: 'any', risky: true });
      return slots;
    }
    case 'retrieve':
      return [
        { path: `${at}.results`, type: 'array' },
        { path: `${at}.results[0].text`, type: 'string', risky: true },
        { path: `${at}.results[0].score`, type: 'number', risky: true },
        { path: `${at}.results[0].source`, type: 'string', risky: true },
      ];
    case 'task':
      return [
        { path: at, type: 'any' },
        { path: `${at}.a`, type: 'any', risky: true },
      ];
    case 'transform':
      return [
        { path: at, type: 'object' },
        ...Object.entries(step.set)
          .filter(([key]) => IDENTIFIER.test(key))
          .map(([key, spec]) => ({ path: `${at}.${key}`, type: typeOfSpec(spec) })),
      ];
    case 'parallel':
      return [
        { path: at, type: 'object' },
        ...Object.keys(step.branches).map((b) => ({ path: `${at}.${b}`, type: 'any' as const })),
      ];
    case 'choose':
      return [{ path: at, type: 'any' }];
    case 'map':
      return [
        { path: at, type: 'array' },
        { path: `${at}[0]`, type: 'any', risky: true },
      ];
    case 'split':
      return [
        { path: `${at}.variant`, type: 'string' },
        { path: `${at}.output`, type: 'any' },
      ];
    case 'respond':
      return [];
  }
}

function typeOfSpec(spec: ValueSpec): SlotType {
  if (spec === null) return 'null';
  if (typeof spec === 'number') return 'number';
  if (typeof spec === 'boolean') return 'boolean';
  if (typeof spec === 'object') return 'object';
  if (spec.includes('{{')) return 'string';
  return /^(?:input|steps|item|index)(?:[.[]|$)/.test(spec) ? 'any' : 'string';
}

function buildInput(plan: CasePlan): Record<string, unknown> {
  const { q, text, n, big, flag, items, obj, messages, mistype } = plan.input;
  const input: Record<string, unknown> = { q, text, n, big, flag, items, empty: [], obj, nil: null, messages };
  for (const [key, value] of mistype) {
    if (value === undefined) delete input[key];
    else input[key] = value;
  }
  return input;
}

/**
 * Builds the case a plan describes: the chain's steps (ids `<stem><n>`), every path picked from what the step may
 * read, the fake answers by step id, the handlers by name and the input.
 *
 * @example
 * ```ts
 * const fuzzCase = buildCase(plan);
 * const chain = defineChain({ name: 'fuzz', steps: fuzzCase.steps, output: fuzzCase.output });
 * ```
 */
export function buildCase(plan: CasePlan): FuzzCase {
  return new CaseBuilder().build(plan);
}
