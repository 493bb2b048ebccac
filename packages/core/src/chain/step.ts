import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Condition } from '../condition/condition';

/**
 * A value spec, as `transform.set` and `task.input` take it:
 * - a string with `{{...}}` placeholders is a template and renders to a string;
 * - a string that is a path (`input.question`, `steps.classify.value`, `item`, `index`) copies that JSON value;
 * - any other string is a literal string (`'gold'`, `'Answer briefly.'`); a string that starts like a path
 *   (`input.`, `steps.`, `item.`, `item[`, ...) but is not a valid one is a definition error, not a literal;
 * - a number, boolean or null is a literal;
 * - an object is built key by key from nested value specs.
 *
 * @example
 * ```ts
 * const spec: ValueSpec = { question: 'input.question', label: 'Q: {{input.question}}', lane: 'gold', limit: 3 };
 * ```
 */
export type ValueSpec = string | number | boolean | null | { [key: string]: ValueSpec };

/**
 * Retry policy, with Step Functions' `Retry` semantics.
 *
 * @example
 * ```ts
 * const retry: RetryPolicy = { errors: ['Bedrock.ThrottlingException'], maxAttempts: 3, intervalSeconds: 1, backoffRate: 2, jitter: 'FULL' };
 * ```
 */
export interface RetryPolicy {
  /** ASL error names that trigger a retry (`States.ALL`, `States.TaskFailed`, `States.Timeout`, `Bedrock.ThrottlingException`, ...). */
  errors: string[];
  /** Retries after the first attempt. ASL default: 3. */
  maxAttempts?: number;
  /** Seconds before the first retry. ASL default: 1. */
  intervalSeconds?: number;
  /** Multiplier of the interval per retry. ASL default: 2. */
  backoffRate?: number;
  /** Cap on any one delay, in seconds. */
  maxDelaySeconds?: number;
  /** `FULL` picks each delay at random between 0 and the computed delay. ASL default: `NONE`. */
  jitter?: 'FULL' | 'NONE';
}

/**
 * Catch policy, with Step Functions' `Catch` semantics: on a matching error, run `fallback` instead.
 *
 * @example
 * ```ts
 * const fallback: CatchPolicy = { errors: ['States.ALL'], fallback: [transform('noDocs', { set: { results: null } })] };
 * ```
 */
export interface CatchPolicy<Fallback extends Step[] = Step[]> {
  /** ASL error names caught. */
  errors: string[];
  /** Steps run instead; the step's output becomes the output of the fallback's last step (or `null` when empty). */
  fallback: Fallback;
}

/**
 * What to do when a step fails or runs long. Every step kind but `respond` takes one.
 *
 * @example
 * ```ts
 * retrieve('docs', { knowledgeBaseId, query: '{{input.q}}', policy: { timeoutSeconds: 10, retry: { errors: ['States.TaskFailed'] } } });
 * ```
 */
export interface StepPolicy<Fallback extends Step[] = Step[]> {
  retry?: RetryPolicy;
  catch?: CatchPolicy<Fallback>;
  /** Fail the step with `States.Timeout` after this many seconds (each attempt). */
  timeoutSeconds?: number;
}

/**
 * Fields every step has. The type parameters keep what the builders were given (the id, the policy with its
 * fallback steps), so `defineChain` can type the chain's state; the defaults describe any step.
 *
 * @example
 * ```ts
 * const base: StepBase = { id: 'classify', policy: { timeoutSeconds: 30 } };
 * ```
 */
export interface StepBase<Id extends string = string, Policy extends StepPolicy = StepPolicy> {
  /** Unique within the chain, `[A-Za-z][A-Za-z0-9_]*`. The output lands in `steps.<id>`. */
  id: Id;
  policy?: Policy;
}

/**
 * Output format of an `invoke` step: `text` as is, `json` parsed, `boolean` parsed and checked.
 *
 * @example
 * ```ts
 * invoke('isQuestion', { model, prompt: 'Is this a question? {{input.text}}', output: 'boolean' satisfies InvokeOutputFormat });
 * ```
 */
export type InvokeOutputFormat = 'text' | 'json' | 'boolean';

/**
 * One model call. Output: `{ text, value?, usage }`.
 *
 * @example
 * ```ts
 * const step: InvokeStep = invoke('keywords', { model: 'us.amazon.nova-lite-v1:0', prompt: 'Keywords: {{input.q}}' });
 * ```
 */
export interface InvokeStep<
  Id extends string = string,
  Format extends InvokeOutputFormat = InvokeOutputFormat,
  Policy extends StepPolicy = StepPolicy,
> extends StepBase<Id, Policy> {
  type: 'invoke';
  /** Bedrock model id or inference-profile id. */
  model: string;
  /** System prompt template. */
  system?: string;
  /** User prompt template. */
  prompt: string;
  /** Text the answer is made to start with (sent as the start of the assistant turn); it is part of `text`. */
  prefill?: string;
  output: Format;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/**
 * Knowledge-base search. Output: `{ results: [{ text, score, source? }] }`.
 *
 * @example
 * ```ts
 * const step: RetrieveStep = retrieve('docs', { knowledgeBaseId: 'KB123', query: '{{input.q}}', topK: 3 });
 * ```
 */
export interface RetrieveStep<Id extends string = string, Policy extends StepPolicy = StepPolicy>
  extends StepBase<Id, Policy> {
  type: 'retrieve';
  knowledgeBaseId: string;
  /** Query template. */
  query: string;
  /** Number of results. Default 5. */
  topK?: number;
}

/**
 * User code or an API call, by handler name. Output: whatever the handler returns; its shape is unknown to the
 * chain unless `output` (or `outputJsonSchema`) declares it.
 *
 * @example
 * ```ts
 * const step: TaskStep = task('order', { handler: 'getOrder', input: { id: 'input.orderId' }, output: orderSchema });
 * ```
 */
export interface TaskStep<
  Id extends string = string,
  Input extends ValueSpec = ValueSpec,
  Output = unknown,
  Policy extends StepPolicy = StepPolicy,
> extends StepBase<Id, Policy> {
  type: 'task';
  /** Handler name: a local function on runtime-local, a Lambda function on Step Functions. */
  handler: string;
  /** The handler's input, built from the state. Default: `{ input }`, the chain's input. */
  input?: Input;
  /**
   * Standard Schema of what the handler returns, so that `defineChain` knows the paths below `steps.<id>` and
   * types them. A declaration, not a check at run time: the handler must keep it.
   */
  output?: StandardSchemaV1<unknown, Output>;
  /** JSON Schema of what the handler returns, when `output` cannot produce one itself. */
  outputJsonSchema?: Record<string, unknown>;
}

/**
 * Builds an object from the state. Output: the object.
 *
 * @example
 * ```ts
 * const step: TransformStep = transform('context', { set: { docs: 'steps.docs.results', title: 'About {{input.topic}}' } });
 * ```
 */
export interface TransformStep<
  Id extends string = string,
  Set extends { [key: string]: ValueSpec } = { [key: string]: ValueSpec },
  Policy extends StepPolicy = StepPolicy,
> extends StepBase<Id, Policy> {
  type: 'transform';
  set: Set;
}

/**
 * Branches run at once. Output: `{ <branch>: <output of the branch's last step> }`.
 *
 * @example
 * ```ts
 * const step: ParallelStep = parallel('enrich', { keywords: [invoke('kw', { model, prompt: '{{input.q}}' })] });
 * ```
 */
export interface ParallelStep<
  Id extends string = string,
  Branches extends { [branch: string]: Step[] } = { [branch: string]: Step[] },
  Policy extends StepPolicy = StepPolicy,
> extends StepBase<Id, Policy> {
  type: 'parallel';
  branches: Branches;
}

/**
 * One case of a `choose` step.
 *
 * @example
 * ```ts
 * const refunds: ChooseCase = when(eq('steps.intent.text', 'refund'), [task('refund', { handler: 'startRefund' })]);
 * ```
 */
export interface ChooseCase<When extends Condition = Condition, Steps extends Step[] = Step[]> {
  when: When;
  steps: Steps;
}

/**
 * Routing: the first case whose condition holds runs. Output: its last step's output, or `null`.
 *
 * @example
 * ```ts
 * const step: ChooseStep = choose('route', [when(isTrue('steps.isQuestion.value'), [retrieve('docs', { knowledgeBaseId, query: '{{input.q}}' })])]);
 * ```
 */
export interface ChooseStep<
  Id extends string = string,
  Cases extends ChooseCase[] = ChooseCase[],
  Otherwise extends Step[] = Step[],
  Policy extends StepPolicy = StepPolicy,
> extends StepBase<Id, Policy> {
  type: 'choose';
  cases: Cases;
  otherwise?: Otherwise;
}

/**
 * Fan-out over an array. Output: array of each iteration's last step output, in item order.
 *
 * @example
 * ```ts
 * const step: MapStep = map('summaries', { items: 'input.documents', maxConcurrency: 4, steps: [invoke('summary', { model, prompt: '{{item.text}}' })] });
 * ```
 */
export interface MapStep<
  Id extends string = string,
  Items extends string = string,
  Steps extends Step[] = Step[],
  Policy extends StepPolicy = StepPolicy,
> extends StepBase<Id, Policy> {
  type: 'map';
  /** Path to the array (`input.documents`, `steps.search.results`). */
  items: Items;
  /** Iterations at once; 0 or absent = no limit. */
  maxConcurrency?: number;
  steps: Steps;
}

/**
 * One variant of a `split` step.
 *
 * @example
 * ```ts
 * const variant: SplitVariant = { weight: 3, steps: [transform('style', { set: { style: 'concise' } })] };
 * ```
 */
export interface SplitVariant<Steps extends Step[] = Step[]> {
  /** Relative weight, > 0. */
  weight: number;
  steps: Steps;
}

/**
 * A/B experiment: one variant is picked at random by weight. Output: `{ variant, output }`.
 *
 * @example
 * ```ts
 * const step: SplitStep = split('experiment', { a: { weight: 1, steps: [] }, b: { weight: 1, steps: [transform('b', { set: { v: 'b' } })] } });
 * ```
 */
export interface SplitStep<
  Id extends string = string,
  Variants extends { [variant: string]: SplitVariant } = { [variant: string]: SplitVariant },
  Policy extends StepPolicy = StepPolicy,
> extends StepBase<Id, Policy> {
  type: 'split';
  variants: Variants;
}

/**
 * Where a `respond` step takes the conversation from.
 *
 * @example
 * ```ts
 * respond('answer', { model, messages: { from: 'input.messages', last: 10 } satisfies RespondMessages });
 * ```
 */
export interface RespondMessages<From extends string = string> {
  /** Path to an array of `{ role: 'user' | 'assistant', content: string }`. */
  from: From;
  /** Keep only the last N messages. */
  last?: number;
}

/**
 * The final, streamed answer. Must be the chain's last top-level step. Output: `{ text, usage }`.
 *
 * @example
 * ```ts
 * const step: RespondStep = respond('answer', { model: 'anthropic.claude-3-haiku-20240307-v1:0', prompt: '{{input.question}}' });
 * ```
 */
export interface RespondStep<Id extends string = string, From extends string = string> {
  type: 'respond';
  id: Id;
  model: string;
  system?: string;
  /** User prompt template, sent after `messages`. */
  prompt?: string;
  messages?: RespondMessages<From>;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/**
 * Any step of a chain.
 *
 * @example
 * ```ts
 * const steps: Step[] = [invoke('a', { model, prompt: '{{input.q}}' }), respond('answer', { model, prompt: '{{steps.a.text}}' })];
 * ```
 */
export type Step =
  | InvokeStep
  | RetrieveStep
  | TaskStep
  | TransformStep
  | ParallelStep
  | ChooseStep
  | MapStep
  | SplitStep
  | RespondStep;

/**
 * The `type` discriminant of a step.
 *
 * @example
 * ```ts
 * const kind: StepType = step.type; // 'invoke' | 'retrieve' | ... | 'respond'
 * ```
 */
export type StepType = Step['type'];
