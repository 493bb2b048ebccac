/**
 * The genes of a fuzz case: what fast-check generates and shrinks. They name no step ids and no paths; `buildCase`
 * reads them with the scope of each step, so every path it writes refers to something the step may read (or, on
 * purpose, to something missing). A plan shrinks to a smaller plan, which builds to a smaller chain that still
 * passes `defineChain`.
 */

/** What kind of value a path should point at; `missing` points at nothing, `stray` reads into a mistyped value. */
export type Want = 'scalar' | 'string' | 'number' | 'boolean' | 'array' | 'object' | 'any' | 'missing' | 'stray';

/**
 * A path to pick from the scope: the first slots that fit `want`, the `pick`-th of them (modulo their count).
 *
 * @example
 * ```ts
 * const plan: PathPlan = { want: 'string', pick: 2 };
 * ```
 */
export interface PathPlan {
  want: Want;
  pick: number;
  /** May pick a slot that is often missing at run time (`input.items[0].title`, `steps.<retrieve>.results[0].text`). */
  risky?: boolean;
}

/**
 * A template: literal text and placeholders (`json` adds the `| json` filter; `spaced` writes `{{ p }}`).
 *
 * @example
 * ```ts
 * const plan: TemplatePlan = [{ text: 'Q: ' }, { path: { want: 'string', pick: 0 }, json: false, spaced: false }];
 * ```
 */
export type TemplatePlan = Array<{ text: string } | { path: PathPlan; json: boolean; spaced: boolean }>;

/**
 * A value spec: a path, a template, a literal or an object of value specs.
 *
 * @example
 * ```ts
 * const plan: ValuePlan = { object: [['q', { path: { want: 'any', pick: 0 } }]] };
 * ```
 */
export type ValuePlan =
  | { path: PathPlan }
  | { template: TemplatePlan }
  | { literal: string | number | boolean | null }
  | { object: Array<[string, ValuePlan]> };

/**
 * A `when` condition.
 *
 * @example
 * ```ts
 * const plan: ConditionPlan = { op: 'not', condition: { op: 'exists', path: { want: 'missing', pick: 0 } } };
 * ```
 */
export type ConditionPlan =
  | { op: 'eq' | 'ne'; path: PathPlan; value: string | number | boolean | null }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; path: PathPlan; value: string | number }
  | { op: 'isTrue' | 'isFalse' | 'exists'; path: PathPlan }
  | { op: 'matches'; path: PathPlan; pattern: string }
  | { op: 'and' | 'or'; conditions: ConditionPlan[] }
  | { op: 'not'; condition: ConditionPlan };

/**
 * A step's policy; `catch.fallback` holds steps.
 *
 * @example
 * ```ts
 * const plan: PolicyPlan = { retry: { errors: ['States.ALL'], maxAttempts: 2 } };
 * ```
 */
export interface PolicyPlan {
  retry?: {
    errors: string[];
    maxAttempts?: number;
    intervalSeconds?: number;
    backoffRate?: number;
    maxDelaySeconds?: number;
    jitter?: 'FULL' | 'NONE';
  };
  catch?: { errors: string[]; fallback: StepPlan[] };
  timeoutSeconds?: number;
}

/**
 * What a fake model does for one step: `answer` picks from the answers that suit the step's output format (0 is the
 * plainest), `free` is used when the pick runs past them; then the scripted failures.
 *
 * @example
 * ```ts
 * const plan: ReplyPlan = { answer: 0, free: 'hello', throttle: 1 };
 * ```
 */
export interface ReplyPlan {
  answer: number;
  free: string;
  /** Answer with the rendered user prompt (the last user message), so outputs show what the model was sent. */
  echo?: boolean;
  throttle?: number;
  fail?: string;
  timeout?: boolean;
  failAfterDeltas?: number;
}

/**
 * What a `task` step's handler does (see `HandlerSpec`); `missing` names a handler nobody serves.
 *
 * @example
 * ```ts
 * const plan: HandlerPlan = { kind: 'throw', errorName: 'FuzzError' };
 * ```
 */
export type HandlerPlan =
  | { kind: 'echo' }
  | { kind: 'const'; value: unknown }
  | { kind: 'throw'; errorName: string }
  | { kind: 'flaky'; errorName: string; failures: number; value: unknown }
  | { kind: 'slow'; value: unknown }
  | { kind: 'missing' };

/**
 * One step of any kind; `stem` makes the step id (`<stem><n>`).
 *
 * @example
 * ```ts
 * const plan: StepPlan = { kind: 'transform', stem: 0, set: [['a', { literal: 1 }]] };
 * ```
 */
export type StepPlan = (
  | {
      kind: 'invoke';
      family: number;
      output: 'text' | 'json' | 'boolean';
      prompt: TemplatePlan;
      system?: TemplatePlan;
      prefill?: string;
      stopSequences?: string[];
      maxTokens?: number;
      temperature?: number;
      topP?: number;
      reply: ReplyPlan;
    }
  | { kind: 'retrieve'; missingKnowledgeBase: boolean; query: TemplatePlan; topK?: number }
  | { kind: 'task'; handler: HandlerPlan; input?: ValuePlan }
  | { kind: 'transform'; set: Array<[string, ValuePlan]> }
  | { kind: 'parallel'; branches: StepPlan[][] }
  | { kind: 'choose'; cases: Array<{ when: ConditionPlan; steps: StepPlan[] }>; otherwise?: StepPlan[] }
  | { kind: 'map'; items: PathPlan; maxConcurrency?: number; steps: StepPlan[] }
  | { kind: 'split'; variants: Array<{ weight: number; steps: StepPlan[] }> }
) & { stem: number; policy?: PolicyPlan };

/**
 * The final `respond` step.
 *
 * @example
 * ```ts
 * const plan: RespondPlan = { family: 0, prompt: [{ text: 'Answer.' }], reply: { answer: 0, free: 'Sure.' } };
 * ```
 */
export interface RespondPlan {
  family: number;
  system?: TemplatePlan;
  prompt?: TemplatePlan;
  /** The history: `input.messages` (an array of messages) unless `from` picks another path. */
  messages?: { from?: PathPlan; last?: number };
  maxTokens?: number;
  temperature?: number;
  stopSequences?: string[];
  reply: ReplyPlan;
}

/**
 * The input's values by key; each key the chain reads has a type it usually has (see `INPUT_SHAPE`), and `mistype`
 * swaps some of them for a value of another type (or drops them).
 *
 * @example
 * ```ts
 * const plan: InputPlan = { q: 'hi', text: 'a\nb', n: 3, big: 1e21, flag: true, items: [], obj: { a: 'x', b: 1 }, messages: [], mistype: [] };
 * ```
 */
export interface InputPlan {
  q: string;
  text: string;
  n: number;
  big: number;
  flag: boolean;
  items: Array<{ title: string; n: number }>;
  obj: { a: string; b: number };
  messages: Array<{ role: string; content: unknown }>;
  mistype: Array<[key: string, value: unknown]>;
}

/**
 * A whole case.
 *
 * @example
 * ```ts
 * const plan: CasePlan = { steps: [], input, documents: [], random: 0.5 };
 * ```
 */
export interface CasePlan {
  steps: StepPlan[];
  respond?: RespondPlan;
  output?: Array<[string, ValuePlan]>;
  input: InputPlan;
  documents: Array<{ text: string; source?: string }>;
  random: number;
  /** The first calls of the fake models, whatever they are, throttle. */
  throttle?: number;
}
