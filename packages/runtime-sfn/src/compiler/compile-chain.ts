import {
  type Chain,
  ChainDefinitionError,
  type ChooseStep,
  getModelAdapter,
  getProviderApi,
  type HttpModelProvider,
  type InvokeStep,
  type MapStep,
  type ModelRequest,
  neutraliseControlTokens,
  type ParallelStep,
  type ParsedPath,
  parseModelReference,
  parsePath,
  parseTemplate,
  type RespondStep,
  type RetrieveStep,
  SPLIT_DRAW_RANGE,
  type SplitStep,
  type Step,
  type StepPolicy,
  type TaskStep,
  toJsonPath,
} from '@stepwise/core';
import type { AslJson, AslState, AslStateMachine } from './asl-types';
import { compileCondition } from './compile-condition';
import type { CompileOptions, CompileWarning } from './compile-options';
import {
  compilePieces,
  compileTemplate,
  formatExpression,
  MAX_INTRINSIC_CALLS,
  type PathCompiler,
  type Spill,
  type TextPiece,
  templatePieces,
} from './compile-template';
import { compileObject, putValue } from './compile-value';
import { countIntrinsicCalls, expressionFields } from './intrinsic-calls';
import { errorEquals, resolveConnection } from './provider-connections';
import { type UsagePlan, usagePlan } from './usage-plan';

type Obj = { [key: string]: AslJson };

/** A compiled run of states: where it starts, and the states whose `Next` (or `End`) is still open. */
interface Fragment {
  start: string;
  exits: string[];
}

/** A compiled sequence: its fragment, where its last output can be read, and where each step wrote. */
interface Sequence extends Fragment {
  resultAt: string;
  entries: Array<{ step: Step; at: string }>;
}

/** One state machine being filled: the top level, a Parallel branch or a Map item processor. */
interface Machine {
  states: Record<string, AslState>;
}

interface Ctx {
  machine: Machine;
  /** Prefix of state names made here (`Enrich.keywords.`). */
  prefix: string;
  /** Whether `$.steps` surely exists when the next state runs. */
  hasSteps: boolean;
  /** Inside a Map iteration (`item` and `index` are in the state). */
  inItem: boolean;
  /**
   * Whether the steps made here record their timing (ARCHITECTURE.md, *Step timing*): the top-level machine's main
   * path only, whose variables the final state can read.
   */
  timed: boolean;
}

const SENTINEL = /\uE000stepwise:(\d+)\uE000/g;
const MAX_NAME = 80;
/** `topK` above which a `retrieve` step's results may take a good part of Step Functions' 256 KiB state. */
const LARGE_TOP_K = 20;
/** A top-level key of the state document where the final state's prelude works (no step writes there). */
const FINAL_RENDER_AT = '$.render';
/** A path no state document has: reading it fails a Pass with `States.Runtime`, which names the state. */
const CONTROL_TOKEN_FAILURE_PATH = '$.chatControlTokenInText';
/** The variable of a main-path step's start time, `$$.State.EnteredTime` of its first state. */
const startVariable = (stepId: string) => `t_${stepId}`;
/** The variable of a main-path step's retries, `$$.State.RetryCount` of its retried state. */
const retryVariable = (stepId: string) => `n_${stepId}`;
/** The variable of the final state's start, when a prelude renders before it. */
const END_VARIABLE = 'stepwise_end';

/**
 * Pass states that run before a state to take work off its fields, all writing to `at` (the step's own location,
 * free until the step writes its output there): `spill` stores an expression's value and returns its path. `earlier`
 * holds values that the fields here need in turn (a guarded text with many `| json` placeholders).
 */
class Prelude {
  readonly fields: Obj = {};
  earlier: Prelude | undefined;
  private count = 0;

  constructor(readonly at: string) {}

  readonly spill: Spill = (expression) => {
    const key = `v${this.count++}`;
    this.fields[`${key}.$`] = expression;
    return `${this.at}.${key}`;
  };

  readonly spillEarlier: Spill = (expression) => {
    this.earlier ??= new Prelude(this.at);
    return this.earlier.spill(expression);
  };

  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }
}

/**
 * Compiles a chain to an Amazon States Language definition (JSONPath query language) for an EXPRESS state machine.
 * The execution input is `{ input: <chain input> }` (see `executionInput`); the execution output is an
 * {@link ExecutionOutput}: `{ output, steps, respond? }`. ARCHITECTURE.md beside this file explains the translation.
 * Throws `ChainDefinitionError` for what ASL cannot express (an unknown model family, a reserved key).
 *
 * @example
 * ```ts
 * const definition = compileChain(chain, { handlers: { createOffer: 'arn:aws:lambda:us-east-1:123456789012:function:offer' } });
 * await sfn.send(new CreateStateMachineCommand({ name: chain.name, type: 'EXPRESS', roleArn, definition: JSON.stringify(definition) }));
 * ```
 */
export function compileChain(chain: Chain, options: CompileOptions = {}): AslStateMachine {
  return new ChainCompiler(chain, options).compile();
}

class ChainCompiler {
  private readonly names = new Set<string>();
  /** Main-path steps that record their start time, and those that record their retries, in compile order. */
  private readonly timed: string[] = [];
  private readonly retried: string[] = [];
  private readonly plan: UsagePlan;
  /** State paths to JSONPaths, through the `output` of wrapped locations. */
  private readonly jsonPath = (path: ParsedPath): string => {
    const [id, ...rest] = path.segments;
    if (path.root !== 'steps' || typeof id !== 'string' || !this.plan.wrap(id)) return toJsonPath(path);
    return toJsonPath({ ...path, segments: [id, 'output', ...rest] });
  };

  constructor(
    private readonly chain: Chain,
    private readonly options: CompileOptions,
  ) {
    this.plan = usagePlan(chain.steps);
  }

  compile(): AslStateMachine {
    const top: Machine = { states: {} };
    const ctx: Ctx = { machine: top, prefix: '', hasSteps: false, inItem: false, timed: true };
    const respond = this.chain.steps.at(-1)?.type === 'respond' ? (this.chain.steps.at(-1) as RespondStep) : undefined;
    const steps = respond ? this.chain.steps.slice(0, -1) : this.chain.steps;
    for (const step of steps) {
      if (step.type === 'respond') {
        throw new ChainDefinitionError(`Step "${step.id}": respond must be the chain's last top-level step.`, {
          stepId: step.id,
        });
      }
    }
    const body = this.sequence(steps, ctx);
    const finalName = this.name(respond ? respond.id : 'Output', '');
    const prelude = new Prelude(FINAL_RENDER_AT);
    top.states[finalName] = this.finalState(respond, steps, ctx.hasSteps || steps.length > 0, prelude);
    const finalStart = this.prelude(ctx, respond ? respond.id : undefined, prelude, finalName);
    if (body) this.link(top, body.exits, finalStart);
    if (body && this.timed.length > 0) this.timing(top, body.start, finalStart, finalName);
    const machine: AslStateMachine = {
      Comment: this.chain.description ?? `stepwise chain ${this.chain.name}`,
      QueryLanguage: 'JSONPath',
      StartAt: body?.start ?? finalStart,
      States: top.states,
    };
    if (this.options.timeoutSeconds !== undefined) machine.TimeoutSeconds = this.options.timeoutSeconds;
    // The compiler spreads work over fields and states so that this never fires; it guards the promise.
    for (const field of expressionFields(machine as unknown as AslJson)) {
      const calls = countIntrinsicCalls(field.expression);
      if (calls > MAX_INTRINSIC_CALLS) {
        throw new Error(`compileChain made ${field.at} with ${calls} intrinsic calls, over Step Functions' limit.`);
      }
    }
    return machine;
  }

  // ---- step timing ----

  /**
   * Step timing (ARCHITECTURE.md, *Step timing*): the first state initialises every timing variable to `null` (so the
   * final state can read those of steps that did not run), and the final state outputs them as `timing`, with its own
   * start (the end of the last step).
   */
  private timing(top: Machine, start: string, finalStart: string, finalName: string): void {
    const initial: Obj = {};
    for (const id of this.timed) initial[startVariable(id)] = null;
    for (const id of this.retried) initial[retryVariable(id)] = null;
    assignOn(top.states[start]!, initial, top.states, true);
    let end = '$$.State.EnteredTime';
    if (finalStart !== finalName) {
      assignOn(top.states[finalStart]!, { [`${END_VARIABLE}.$`]: '$$.State.EnteredTime' });
      end = `$${END_VARIABLE}`;
    }
    const starts: Obj = {};
    for (const id of this.timed) starts[`${id}.$`] = `$${startVariable(id)}`;
    const retries: Obj = {};
    for (const id of this.retried) retries[`${id}.$`] = `$${retryVariable(id)}`;
    const final = top.states[finalName]!;
    final.Parameters = { ...(final.Parameters as Obj), timing: { 'end.$': end, start: starts, retries } };
  }

  // ---- names and wiring ----

  private name(id: string, prefix: string, suffix = ''): string {
    const base = `${prefix}${id.charAt(0).toUpperCase()}${id.slice(1)}${suffix}`;
    let candidate = base.length > MAX_NAME ? base.slice(base.length - MAX_NAME + 4) : base;
    for (let n = 2; this.names.has(candidate); n++) {
      const tail = `#${n}`;
      candidate = `${base.slice(Math.max(0, base.length - MAX_NAME + tail.length + 4))}${tail}`;
    }
    this.names.add(candidate);
    return candidate;
  }

  private add(ctx: Ctx, name: string, state: AslState): string {
    ctx.machine.states[name] = state;
    return name;
  }

  private link(machine: Machine, exits: string[], next: string): void {
    for (const exit of exits) machine.states[exit]!.Next = next;
  }

  /** Ends a sub-machine (branch, item processor): its output becomes the value at `resultAt`. */
  private end(machine: Machine, exits: string[], resultAt: string): void {
    for (const exit of exits) {
      const state = machine.states[exit]!;
      state.End = true;
      state.OutputPath = resultAt;
    }
  }

  /**
   * Puts a prelude's Pass states before `start` (the step's main state, or its guard) and returns the fragment's new
   * start. No state for an empty prelude.
   */
  private prelude(ctx: Ctx, stepId: string | undefined, prelude: Prelude, start: string): string {
    const tag = stepId === undefined ? 'chain output' : comment(stepId);
    const base = stepId ?? 'Output';
    const pass = (fields: Obj, suffix: string, next: string) =>
      this.add(ctx, this.name(base, ctx.prefix, suffix), {
        Type: 'Pass',
        Comment: tag,
        Parameters: fields,
        ResultPath: prelude.at,
        Next: next,
      });
    let first = start;
    if (!prelude.empty) first = pass(prelude.fields, '.Render', first);
    if (prelude.earlier && !prelude.earlier.empty) first = pass(prelude.earlier.fields, '.Values', first);
    return first;
  }

  // ---- sequences and steps ----

  /**
   * Compiles steps in order. `lastAt` redirects the last step's output (catch fallbacks write straight into the
   * step they stand in for). Returns `undefined` for no steps.
   */
  private sequence(steps: Step[], ctx: Ctx, lastAt?: string): Sequence | undefined {
    let first: string | undefined;
    let exits: string[] = [];
    let resultAt = '';
    const entries: Sequence['entries'] = [];
    steps.forEach((step, index) => {
      const redirected = index === steps.length - 1 && lastAt !== undefined;
      const at = redirected ? lastAt : `$.steps.${step.id}`;
      const fragment = this.step(step, ctx, at);
      if (first === undefined) first = fragment.start;
      else this.link(ctx.machine, exits, fragment.start);
      exits = fragment.exits;
      resultAt = !redirected && this.plan.wrap(step.id) ? `${at}.output` : at;
      entries.push({ step, at });
      ctx.hasSteps = true;
    });
    return first === undefined ? undefined : { start: first, exits, resultAt, entries };
  }

  /**
   * The usage record of a sequence that ran to its end (see `UsagePlan`): every step that calls a model, read with
   * definite paths: a wrapped location's `usage`, an `invoke` output's tokens.
   */
  private usageRecord(entries: Sequence['entries']): Obj {
    const record: Obj = {};
    for (const { step, at } of entries) {
      if (!this.plan.hasInvoke(step)) continue;
      if (this.plan.wrap(step.id)) record[`${step.id}.$`] = `${at}.usage`;
      else record[`${step.id}.$`] = `States.Array(${at}.usage.inputTokens, ${at}.usage.outputTokens)`;
    }
    return record;
  }

  /**
   * The `usage` field of a wrapped location from the step's own entry: a JSONPath or intrinsic (`string`), an object
   * template, or none. A `caught` step holds its entry under its id (its fallback puts its own entries there instead).
   */
  private usageField(step: Step, own: string | Obj | undefined): Obj {
    const caught = this.plan.wrap(step.id) === 'caught';
    if (own === undefined) return { usage: {} };
    if (typeof own === 'string') return caught ? { usage: { [`${step.id}.$`]: own } } : { 'usage.$': own };
    return caught ? { usage: { [step.id]: own } } : { usage: own };
  }

  /**
   * Compiles a sequence whose last output and usage record must end up together as `{ output, usage }`: at `at`, or,
   * without `at`, as the state itself (the end of a Parallel branch or Map iteration). A last `transform` builds
   * that object itself (`at` is where it wrote it); otherwise one Pass does (`at` undefined when it replaced the state).
   */
  private withUsage(
    steps: Step[],
    ctx: Ctx,
    name: () => string,
    owner: string,
    at: string | undefined,
  ): { fragment: Fragment; at: string | undefined } | undefined {
    const last = steps.at(-1);
    // A transform's Pass, or the Pass that unwraps a task's result (no catch: one path), can build the object.
    if (last?.type === 'transform' || (last?.type === 'task' && !last.policy?.catch)) {
      const body = this.sequence(steps, ctx, at)!;
      const state = ctx.machine.states[body.exits[0]!]!;
      const usage = this.usageRecord(body.entries.slice(0, -1));
      if (last.type === 'transform') state.Parameters = { output: state.Parameters as Obj, usage };
      else {
        state.Parameters = { 'output.$': state.InputPath as string, usage };
        delete state.InputPath;
      }
      return { fragment: body, at: body.entries.at(-1)!.at };
    }
    const body = this.sequence(steps, ctx);
    if (!body) return undefined;
    const collect = this.add(ctx, name(), {
      Type: 'Pass',
      Comment: comment(owner),
      Parameters: { 'output.$': body.resultAt, usage: this.usageRecord(body.entries) },
      ...(at !== undefined ? { ResultPath: at } : {}),
    });
    this.link(ctx.machine, body.exits, collect);
    return { fragment: { start: body.start, exits: [collect] }, at };
  }

  /** A sub-machine for a Parallel branch or a Map iteration; its output is its last step's output (or null). */
  private subMachine(
    steps: Step[],
    prefix: string,
    hasSteps: boolean,
    inItem: boolean,
    owner: string,
  ): AslStateMachine {
    const machine: Machine = { states: {} };
    const ctx: Ctx = { machine, prefix, hasSteps, inItem, timed: false };
    if (this.plan.subMachine(steps) === 'record') {
      // The branch or iteration returns `{ output, usage }`: its last output does not show all its model calls.
      const ended = this.withUsage(steps, ctx, () => this.name('Usage', prefix), owner, undefined)!;
      if (ended.at !== undefined) this.end(machine, ended.fragment.exits, ended.at);
      else for (const exit of ended.fragment.exits) machine.states[exit]!.End = true;
      return { StartAt: ended.fragment.start, States: machine.states };
    }
    const body = this.sequence(steps, ctx);
    if (!body) {
      const name = this.name('Empty', prefix);
      machine.states[name] = { Type: 'Pass', Comment: `${prefix}empty`, Result: null, End: true };
      return { StartAt: name, States: machine.states };
    }
    // A `tail` sub-machine returns its last step's wrapped location, `{ output, usage }`, as it is.
    this.end(machine, body.exits, this.plan.subMachine(steps) === 'tail' ? body.entries.at(-1)!.at : body.resultAt);
    return { StartAt: body.start, States: machine.states };
  }

  private step(step: Step, ctx: Ctx, at: string): Fragment {
    const fragment = this.stepStates(step, ctx, at);
    if (ctx.timed) {
      // The step's first state records when it was entered: the step's start (its end is the next one's start).
      const entered = { [`${startVariable(step.id)}.$`]: '$$.State.EnteredTime' };
      assignOn(ctx.machine.states[fragment.start]!, entered, ctx.machine.states);
      this.timed.push(step.id);
    }
    return fragment;
  }

  private stepStates(step: Step, ctx: Ctx, at: string): Fragment {
    switch (step.type) {
      case 'invoke':
        return this.withFailure(step, ctx, at, this.withPolicy(step, ctx, at, this.invoke(step, ctx, at)));
      case 'retrieve':
        return this.withFailure(step, ctx, at, this.withPolicy(step, ctx, at, this.retrieve(step, ctx, at)));
      case 'task':
        return this.withFailure(step, ctx, at, this.withPolicy(step, ctx, at, this.task(step, ctx, at)));
      case 'transform': {
        if (step.policy) this.ignoredPolicy(step.id, step.policy);
        const prelude = new Prelude(at);
        const name = this.add(ctx, this.name(step.id, ctx.prefix), {
          Type: 'Pass',
          Comment: comment(step.id),
          Parameters: compileObject(step.set, step.id, this.jsonPath, prelude.spill),
          ResultPath: at,
        });
        return { start: this.prelude(ctx, step.id, prelude, name), exits: [name] };
      }
      case 'parallel':
        return this.withPolicy(step, ctx, at, this.parallel(step, ctx, at));
      case 'map':
        return this.withPolicy(step, ctx, at, this.map(step, ctx, at));
      case 'choose':
      case 'split':
        return this.wrapped(step, ctx, at);
      case 'respond':
        throw new ChainDefinitionError(`Step "${step.id}": respond must be the chain's last top-level step.`, {
          stepId: step.id,
        });
    }
  }

  /** Retry, Catch and TimeoutSeconds on the fragment's first state (a Task, Parallel or Map). */
  private withPolicy(
    step: Exclude<Step, RespondStep>,
    ctx: Ctx,
    at: string,
    fragment: Fragment & { main: string },
  ): Fragment & { main: string } {
    const policy = step.policy;
    if (!policy) return fragment;
    const state = ctx.machine.states[fragment.main]!;
    if (policy.timeoutSeconds !== undefined) {
      if (state.Type === 'Task') state.TimeoutSeconds = policy.timeoutSeconds;
      else
        this.warn(
          step.id,
          'timeout-ignored',
          `Step "${step.id}": ASL ${state.Type} states take no TimeoutSeconds; the timeout applies on runtime-local only.`,
        );
    }
    if (policy.retry) {
      const { errors, maxAttempts, intervalSeconds, backoffRate, maxDelaySeconds, jitter } = policy.retry;
      const retrier: Obj = { ErrorEquals: errorEquals(errors) };
      if (intervalSeconds !== undefined) retrier.IntervalSeconds = intervalSeconds;
      if (maxAttempts !== undefined) retrier.MaxAttempts = maxAttempts;
      if (backoffRate !== undefined) retrier.BackoffRate = backoffRate;
      if (maxDelaySeconds !== undefined) retrier.MaxDelaySeconds = maxDelaySeconds;
      if (jitter !== undefined) retrier.JitterStrategy = jitter;
      state.Retry = [retrier];
      if (ctx.timed) {
        // How many times it was retried, whether it then succeeded or its catch fired (the catcher set below).
        assignOn(state, { [`${retryVariable(step.id)}.$`]: '$$.State.RetryCount' });
        this.retried.push(step.id);
      }
    }
    if (policy.catch) {
      const fallbackCtx = { ...ctx, prefix: `${fragment.main}.catch.`, timed: false };
      // A wrapped step's fallback ends with `{ output, usage }` at the step's location.
      const fallback =
        this.plan.wrap(step.id) === 'caught'
          ? this.withUsage(
              policy.catch.fallback,
              fallbackCtx,
              () => this.name(step.id, ctx.prefix, '.Fallback'),
              step.id,
              at,
            )?.fragment
          : this.sequence(policy.catch.fallback, fallbackCtx, at);
      let start: string;
      let exits: string[];
      if (fallback) {
        start = fallback.start;
        exits = fallback.exits;
      } else {
        start = this.add(ctx, this.name(step.id, ctx.prefix, '.Fallback'), {
          Type: 'Pass',
          Comment: comment(step.id),
          Result: this.plan.wrap(step.id) ? { output: null, usage: {} } : null,
          ResultPath: at,
        });
        exits = [start];
      }
      const catcher: Obj = { ErrorEquals: errorEquals(policy.catch.errors), Next: start, ResultPath: at };
      if (state.Assign !== undefined) catcher.Assign = { ...(state.Assign as Obj) };
      state.Catch = [catcher];
      return { start: fragment.start, exits: [...fragment.exits, ...exits], main: fragment.main };
    }
    return fragment;
  }

  /**
   * Decision 0005: a Task state that fails for its step ends the execution through a Fail state of that step, which
   * keeps the error's name (`ErrorPath`) and wraps its cause with the step id (`CausePath`):
   * `{"stepwiseStepId":"<id>","error":{"Error":...,"Cause":...}}`. The catch-all comes after the step's own catch,
   * so retries and fallbacks act first; an enclosing Parallel or Map fails with the same error and cause, unwrapped
   * again by nobody (they get no catch-all: every error they raise by themselves is uncatchable).
   */
  private withFailure(
    step: Exclude<Step, RespondStep>,
    ctx: Ctx,
    at: string,
    fragment: Fragment & { main: string },
  ): Fragment {
    const state = ctx.machine.states[fragment.main]!;
    const catches = (state.Catch as Obj[] | undefined) ?? [];
    // A step that catches everything catchable never fails for itself.
    if (catches.some((entry) => (entry.ErrorEquals as string[]).includes('States.ALL'))) return fragment;
    const failed = this.add(ctx, this.name(step.id, ctx.prefix, '.Failed'), {
      Type: 'Fail',
      Comment: comment(step.id),
      ErrorPath: `${at}.Error`,
      CausePath: formatExpression([
        { text: `{"stepwiseStepId":"${step.id}","error":` },
        { expression: `States.JsonToString(${at})` },
        { text: '}' },
      ]),
    });
    state.Catch = [...catches, { ErrorEquals: ['States.ALL'], ResultPath: at, Next: failed }];
    return fragment;
  }

  /** choose and split: plain states, or, with a retry or catch policy, one Parallel branch that can carry it. */
  private wrapped(step: ChooseStep | SplitStep, ctx: Ctx, at: string): Fragment {
    const policy = step.policy;
    if (!policy || (!policy.retry && !policy.catch)) {
      if (policy?.timeoutSeconds !== undefined) {
        this.warn(
          step.id,
          'timeout-ignored',
          `Step "${step.id}": a ${step.type} step takes no timeout in ASL; it applies on runtime-local only.`,
        );
      }
      return step.type === 'choose' ? this.choose(step, ctx, at) : this.split(step, ctx, at);
    }
    // The branch works on a copy of the whole state and hands it back, so the steps inside keep their outputs.
    const name = this.name(step.id, ctx.prefix);
    const inner: Machine = { states: {} };
    const innerCtx: Ctx = {
      machine: inner,
      prefix: `${name}.`,
      hasSteps: ctx.hasSteps,
      inItem: ctx.inItem,
      timed: false,
    };
    const body = step.type === 'choose' ? this.choose(step, innerCtx, at) : this.split(step, innerCtx, at);
    for (const exit of body.exits) inner.states[exit]!.End = true;
    this.add(ctx, name, {
      Type: 'Parallel',
      Comment: comment(step.id),
      Branches: [{ StartAt: body.start, States: inner.states } as unknown as Obj],
      // No ResultPath: the default, `$`, makes the branch's final state the state.
      ResultSelector: { 'input.$': '$[0].input', 'steps.$': '$[0].steps', ...(ctx.inItem ? itemFields() : {}) },
    });
    return this.withPolicy(step, ctx, at, { start: name, exits: [name], main: name });
  }

  // ---- step kinds ----

  private invoke(step: InvokeStep, ctx: Ctx, at: string): Fragment & { main: string } {
    // Another provider's model (`openai:...`): an HTTP Task against its API; a Bedrock model: bedrock:invokeModel.
    const reference = parseModelReference(step.model);
    const http = reference.provider === 'bedrock' ? undefined : getProviderApi(reference.provider);
    const adapter = http ? undefined : getModelAdapter(step.model);
    const tokens = adapter?.controlTokens ?? [];
    const prelude = new Prelude(at);
    /** Rendered texts (JSONPaths) to check for chat control tokens before the call. */
    const guarded: string[] = [];
    const pieces: TextPiece[][] = [];
    const sentinel = (template: string, key: 'prompt' | 'system'): string => {
      let text = templatePieces(parseTemplate(template), this.jsonPath).map((piece) =>
        piece.type === 'text' ? { ...piece, value: neutraliseControlTokens(piece.value, tokens) } : piece,
      );
      if (tokens.length > 0 && text.some((piece) => piece.type !== 'text')) {
        // ASL cannot neutralise text that templates render at run time: render it first, then check it.
        const compiled = compilePieces(text, prelude.spillEarlier) as { expression: string };
        prelude.fields[`${key}.$`] = compiled.expression;
        guarded.push(`${at}.${key}`);
        text = [{ type: 'path', jsonPath: `${at}.${key}` }];
      }
      pieces.push(text);
      return `\uE000stepwise:${pieces.length - 1}\uE000`;
    };
    const request: ModelRequest = {
      modelId: step.model,
      messages: [{ role: 'user', content: sentinel(step.prompt, 'prompt') }],
    };
    if (step.system !== undefined) request.system = sentinel(step.system, 'system');
    // An empty prefill is no prefill, as on runtime-local (Bedrock refuses a blank assistant turn).
    const prefill = step.prefill === '' ? undefined : step.prefill;
    if (prefill !== undefined) request.messages.push({ role: 'assistant', content: prefill });
    if (step.maxTokens !== undefined) request.maxTokens = step.maxTokens;
    if (step.temperature !== undefined) request.temperature = step.temperature;
    if (step.topP !== undefined) request.topP = step.topP;
    if (step.stopSequences !== undefined) request.stopSequences = step.stopSequences;
    const built = http ? http.buildBody(request, reference.model) : adapter!.buildBody(request);
    const body = fillSentinels(built as AslJson, pieces, prelude.spill) as Obj;

    const paths = http ? http.resultPaths : adapter!.resultPaths;
    const text = prefill === undefined ? paths.text : formatExpression([{ text: prefill }, { expression: paths.text }]);
    const usage: Obj = {};
    if (paths.inputTokens !== undefined) usage['inputTokens.$'] = paths.inputTokens;
    else usage.inputTokens = 0;
    if (paths.outputTokens !== undefined) usage['outputTokens.$'] = paths.outputTokens;
    else usage.outputTokens = 0;
    // DESIGN.md's order, as runtime-local builds it: text, value, usage (`{{steps.x | json}}` shows it).
    const selector: Obj = { 'text.$': text };
    // A boolean check on a prefilled answer would pass the limit of one field: a Pass after the call does it.
    const checkLater = step.output === 'boolean' && prefill !== undefined;
    if (step.output === 'json' || checkLater) selector['value.$'] = `States.StringToJson(${text})`;
    else if (step.output === 'boolean') selector['value.$'] = booleanValue(`States.StringToJson(${text})`);
    selector.usage = usage;
    const tokensOf = (path: string | undefined) => path ?? '0';
    const own = `States.Array(${tokensOf(paths.inputTokens)}, ${tokensOf(paths.outputTokens)})`;

    const name = this.add(ctx, this.name(step.id, ctx.prefix), {
      Type: 'Task',
      Comment: comment(step.id),
      ...(http ? this.httpInvoke(step, http.provider, http.headers, body) : this.bedrockInvoke(step, body)),
      ResultSelector: this.plan.wrap(step.id) ? { output: selector, ...this.usageField(step, own) } : selector,
      ResultPath: at,
    });
    let exit = name;
    if (checkLater) {
      const answer = this.plan.wrap(step.id) ? `${at}.output` : at;
      exit = this.add(ctx, this.name(step.id, ctx.prefix, '.Check'), {
        Type: 'Pass',
        Comment: comment(step.id),
        Parameters: {
          'text.$': `${answer}.text`,
          'value.$': booleanValue(`${answer}.value`),
          'usage.$': `${answer}.usage`,
        },
        ResultPath: answer,
      });
      ctx.machine.states[name]!.Next = exit;
    }
    let start = name;
    if (guarded.length > 0) {
      const failure = this.add(ctx, this.name(step.id, ctx.prefix, '.ControlToken'), {
        Type: 'Pass',
        Comment: comment(step.id),
        InputPath: CONTROL_TOKEN_FAILURE_PATH,
        End: true,
      });
      const rules: Obj[] = guarded.flatMap((path) =>
        tokens.map((token) => ({ Variable: path, StringMatches: `*${escapeWildcards(token)}*` })),
      );
      start = this.add(ctx, this.name(step.id, ctx.prefix, '.Guard'), {
        Type: 'Choice',
        Comment: comment(step.id),
        Choices: [{ ...(rules.length === 1 ? rules[0]! : { Or: rules }), Next: failure }],
        Default: name,
      });
    }
    return { start: this.prelude(ctx, step.id, prelude, start), exits: [exit], main: name };
  }

  private bedrockInvoke(step: InvokeStep, body: Obj): Obj {
    return { Resource: 'arn:aws:states:::bedrock:invokeModel', Parameters: { ModelId: step.model, Body: body } };
  }

  /**
   * Step Functions' HTTP Task against the provider's API: the body the provider's wire builds, posted with the
   * EventBridge connection that holds the key. A connection or endpoint the options leave out compiles to a
   * placeholder that cannot be called, with a `connection-missing` warning.
   */
  private httpInvoke(
    step: InvokeStep,
    provider: HttpModelProvider,
    headers: Readonly<Record<string, string>>,
    body: Obj,
  ): Obj {
    const resolved = resolveConnection(provider, this.options.providers);
    if (resolved.missing.length > 0) {
      this.warn(
        step.id,
        'connection-missing',
        `Step "${step.id}": model "${step.model}" is called through an HTTP Task, but compileOptions.providers.${provider} ` +
          `has no ${resolved.missing.join(' and no ')}; the definition holds a placeholder and cannot run on AWS.`,
      );
    }
    return {
      Resource: 'arn:aws:states:::http:invoke',
      Parameters: {
        ApiEndpoint: resolved.endpoint,
        Method: 'POST',
        Authentication: { ConnectionArn: resolved.connectionArn },
        Headers: { ...headers },
        RequestBody: body,
      },
    };
  }

  private retrieve(step: RetrieveStep, ctx: Ctx, at: string): Fragment & { main: string } {
    if ((step.topK ?? 5) > LARGE_TOP_K) {
      this.warn(
        step.id,
        'large-retrieval',
        `Step "${step.id}": topK ${step.topK} results stay in the state (each passage with its metadata, often 1-4 KB, twice while they are shaped); Step Functions caps a state at 256 KiB.`,
      );
    }
    const prelude = new Prelude(at);
    const query: Obj = {};
    const compiled = compileTemplate(step.query, this.jsonPath, prelude.spill);
    if ('literal' in compiled) query.Text = compiled.literal;
    else query['Text.$'] = compiled.expression;
    const name = this.name(step.id, ctx.prefix);
    this.add(ctx, name, {
      Type: 'Task',
      Comment: comment(step.id),
      Resource: 'arn:aws:states:::aws-sdk:bedrockagentruntime:retrieve',
      Parameters: {
        KnowledgeBaseId: step.knowledgeBaseId,
        RetrievalQuery: query,
        RetrievalConfiguration: { VectorSearchConfiguration: { NumberOfResults: step.topK ?? 5 } },
      },
      ResultSelector: { 'RetrievalResults.$': '$.RetrievalResults' },
      ResultPath: at,
    });
    // Bedrock's PascalCase results become { text, score, source? }: one Map, whose iteration picks the source
    // (Bedrock's `x-amz-bedrock-kb-source-uri` metadata) when there is one.
    const results = this.name(step.id, ctx.prefix, '.Results');
    const check = this.name(step.id, `${results}.`, '.HasSource');
    const withSource = this.name(step.id, `${results}.`, '.WithSource');
    const without = this.name(step.id, `${results}.`, '.WithoutSource');
    const sourcePath = "$.Metadata['x-amz-bedrock-kb-source-uri']";
    const base: Obj = { 'text.$': '$.Content.Text', 'score.$': '$.Score' };
    this.add(ctx, results, {
      Type: 'Map',
      Comment: comment(step.id),
      ItemsPath: `${at}.RetrievalResults`,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: check,
        States: {
          [check]: {
            Type: 'Choice',
            Comment: comment(step.id),
            Choices: [
              {
                And: [
                  { Variable: sourcePath, IsPresent: true },
                  { Variable: sourcePath, IsString: true },
                ],
                Next: withSource,
              },
            ],
            Default: without,
          },
          [withSource]: {
            Type: 'Pass',
            Comment: comment(step.id),
            Parameters: { ...base, 'source.$': sourcePath },
            End: true,
          },
          [without]: { Type: 'Pass', Comment: comment(step.id), Parameters: base, End: true },
        },
      },
      ResultSelector: this.plan.wrap(step.id)
        ? { output: { 'results.$': '$' }, ...this.usageField(step, undefined) }
        : { 'results.$': '$' },
      ResultPath: at,
    });
    ctx.machine.states[name]!.Next = results;
    return { start: this.prelude(ctx, step.id, prelude, name), exits: [results], main: name };
  }

  private task(step: TaskStep, ctx: Ctx, at: string): Fragment & { main: string } {
    const parameters: Obj = { FunctionName: this.options.handlers?.[step.handler] ?? step.handler };
    const prelude = new Prelude(at);
    if (step.input === undefined) parameters.Payload = { 'input.$': '$.input' };
    else putValue(parameters, 'Payload', step.input, step.id, this.jsonPath, prelude.spill);
    const name = this.add(ctx, this.name(step.id, ctx.prefix), {
      Type: 'Task',
      Comment: comment(step.id),
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: parameters,
      ResultSelector: { 'Payload.$': '$.Payload' },
      ResultPath: at,
    });
    // ResultSelector cannot unwrap to a non-object, so one Pass moves the handler's result into place.
    const unwrap = this.add(ctx, this.name(step.id, ctx.prefix, '.Result'), {
      Type: 'Pass',
      Comment: comment(step.id),
      ...(this.plan.wrap(step.id)
        ? { Parameters: { 'output.$': `${at}.Payload`, ...this.usageField(step, undefined) } }
        : { InputPath: `${at}.Payload` }),
      ResultPath: at,
    });
    ctx.machine.states[name]!.Next = unwrap;
    return { start: this.prelude(ctx, step.id, prelude, name), exits: [unwrap], main: name };
  }

  private parallel(step: ParallelStep, ctx: Ctx, at: string): Fragment & { main: string } {
    const name = this.name(step.id, ctx.prefix);
    const branches: AslJson[] = [];
    const selector: Obj = {};
    const own: Obj = {};
    Object.entries(step.branches).forEach(([branch, steps], index) => {
      branches.push(this.subMachine(steps, `${name}.${branch}.`, ctx.hasSteps, ctx.inItem, step.id) as unknown as Obj);
      const kind = this.plan.subMachine(steps);
      const last = steps.at(-1);
      selector[`${branch}.$`] = kind === 'record' || kind === 'tail' ? `$[${index}].output` : `$[${index}]`;
      if (kind === 'record') own[`${branch}.$`] = `$[${index}].usage`;
      if (kind === 'tail') own[branch] = { [`${last!.id}.$`]: `$[${index}].usage` };
      if (kind === 'bare') {
        own[branch] = {
          [`${last!.id}.$`]: `States.Array($[${index}].usage.inputTokens, $[${index}].usage.outputTokens)`,
        };
      }
    });
    const wrapped = this.plan.wrap(step.id) !== undefined;
    const hasOwn = this.plan.hasInvoke(step, false);
    this.add(ctx, name, {
      Type: 'Parallel',
      Comment: comment(step.id),
      Branches: branches,
      ResultSelector: wrapped ? { output: selector, ...this.usageField(step, hasOwn ? own : undefined) } : selector,
      ResultPath: at,
    });
    return { start: name, exits: [name], main: name };
  }

  private map(step: MapStep, ctx: Ctx, at: string): Fragment & { main: string } {
    const items = parsePath(step.items);
    if (!items)
      throw new ChainDefinitionError(`Step "${step.id}": items "${step.items}" is not a path.`, { stepId: step.id });
    if (items.root === 'input' || items.root === 'item') {
      this.warn(
        step.id,
        'unbounded-output',
        `Step "${step.id}": maps over "${step.items}", which the caller sizes; its output grows with it and Step Functions caps a state at 256 KiB.`,
      );
    }
    const name = this.name(step.id, ctx.prefix);
    const selector: Obj = { 'input.$': '$.input' };
    if (ctx.hasSteps) selector['steps.$'] = '$.steps';
    else selector.steps = {};
    selector['item.$'] = '$$.Map.Item.Value';
    selector['index.$'] = '$$.Map.Item.Index';
    const processor = this.subMachine(step.steps, `${name}.`, true, true, step.id);
    const carries = this.plan.carries(step.steps);
    let resultSelector: Obj | undefined;
    if (this.plan.wrap(step.id)) {
      // `$[*].x` is an indefinite path: the array of every iteration's `x`, in item order.
      const own = this.plan.hasInvoke(step, false) ? '$[*].usage' : undefined;
      resultSelector = { 'output.$': carries ? '$[*].output' : '$', ...this.usageField(step, own) };
    }
    this.add(ctx, name, {
      Type: 'Map',
      Comment: comment(step.id),
      ItemsPath: this.jsonPath(items),
      ItemSelector: selector,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: processor.StartAt,
        States: processor.States as unknown as Obj,
      },
      MaxConcurrency: step.maxConcurrency ?? 0,
      ...(resultSelector ? { ResultSelector: resultSelector } : {}),
      ResultPath: at,
    });
    return { start: name, exits: [name], main: name };
  }

  private choose(step: ChooseStep, ctx: Ctx, at: string): Fragment & { main: string } {
    const name = this.add(ctx, this.name(step.id, ctx.prefix), {
      Type: 'Choice',
      Comment: comment(step.id),
      Choices: [],
    });
    const exits: string[] = [];
    const wrapped = this.plan.wrap(step.id) !== undefined;
    let none: string | undefined;
    const noneState = (): string => {
      none ??= this.add(ctx, this.name(step.id, ctx.prefix, '.None'), {
        Type: 'Pass',
        Comment: comment(step.id),
        Result: wrapped ? { output: null, usage: {} } : null,
        ResultPath: at,
      });
      if (!exits.includes(none)) exits.push(none);
      return none;
    };
    const hasSteps = ctx.hasSteps;
    const branch = (steps: Step[], suffix: string): string => {
      ctx.hasSteps = hasSteps;
      const body = this.sequence(steps, ctx);
      if (!body) return noneState();
      const record = this.add(ctx, this.name(step.id, ctx.prefix, suffix), {
        Type: 'Pass',
        Comment: comment(step.id),
        ...(wrapped
          ? {
              Parameters: {
                'output.$': body.resultAt,
                ...this.usageField(step, this.usageRecord(body.entries)),
              },
            }
          : { InputPath: body.resultAt }),
        ResultPath: at,
      });
      this.link(ctx.machine, body.exits, record);
      exits.push(record);
      return body.start;
    };
    const choices: AslJson[] = step.cases.map((entry, index) => ({
      ...compileCondition(entry.when, this.jsonPath),
      Next: branch(entry.steps, step.cases.length === 1 ? '.Output' : `.Case${index + 1}`),
    }));
    const state = ctx.machine.states[name]!;
    state.Choices = choices;
    state.Default = step.otherwise && step.otherwise.length > 0 ? branch(step.otherwise, '.Otherwise') : noneState();
    ctx.hasSteps = hasSteps;
    if (choices.length === 0) {
      // ASL wants at least one choice rule; with no case, the step is its `otherwise` (or null).
      delete ctx.machine.states[name];
      this.names.delete(name);
      return { start: state.Default as string, exits, main: state.Default as string };
    }
    return { start: name, exits, main: name };
  }

  private split(step: SplitStep, ctx: Ctx, at: string): Fragment & { main: string } {
    const variants = Object.entries(step.variants);
    const total = variants.reduce((sum, [, variant]) => sum + variant.weight, 0);
    const name = this.add(ctx, this.name(step.id, ctx.prefix), {
      Type: 'Pass',
      Comment: comment(step.id),
      Parameters: { 'draw.$': `States.MathRandom(0, ${SPLIT_DRAW_RANGE})` },
      ResultPath: at,
    });
    const pick = this.add(ctx, this.name(step.id, ctx.prefix, '.Pick'), {
      Type: 'Choice',
      Comment: comment(step.id),
      Choices: [],
    });
    ctx.machine.states[name]!.Next = pick;
    const hasSteps = ctx.hasSteps;
    const exits: string[] = [];
    const starts: string[] = [];
    for (const [variant, { steps }] of variants) {
      ctx.hasSteps = hasSteps;
      const body = this.sequence(steps, ctx);
      const output: Obj = body ? { variant, 'output.$': body.resultAt } : { variant, output: null };
      const record = this.add(ctx, this.name(step.id, ctx.prefix, `.${variant}`), {
        Type: 'Pass',
        Comment: comment(step.id),
        Parameters: this.plan.wrap(step.id)
          ? { output, ...this.usageField(step, body ? this.usageRecord(body.entries) : {}) }
          : output,
        ResultPath: at,
      });
      if (body) this.link(ctx.machine, body.exits, record);
      exits.push(record);
      starts.push(body?.start ?? record);
    }
    ctx.hasSteps = hasSteps;
    let cumulative = 0;
    const choices: AslJson[] = [];
    variants.slice(0, -1).forEach(([, variant], index) => {
      cumulative += variant.weight;
      choices.push({
        Variable: `${at}.draw`,
        NumericLessThan: (cumulative / total) * SPLIT_DRAW_RANGE,
        Next: starts[index]!,
      });
    });
    const state = ctx.machine.states[pick]!;
    if (choices.length === 0) {
      // One variant: no draw needed.
      delete ctx.machine.states[name];
      delete ctx.machine.states[pick];
      this.names.delete(name);
      this.names.delete(pick);
      return { start: starts[0]!, exits, main: starts[0]! };
    }
    state.Choices = choices;
    state.Default = starts.at(-1)!;
    return { start: name, exits, main: name };
  }

  // ---- the end ----

  /**
   * The final Pass: `{ output, steps, respond? }`. With a `respond` step the runtime builds `chain.output` itself,
   * after the answer has streamed (decision 0005): the output may read the answer, and it fails, if it does, after
   * the answer as on runtime-local. The machine then leaves `output` out.
   */
  private finalState(respond: RespondStep | undefined, steps: Step[], hasSteps: boolean, prelude: Prelude): AslState {
    const parameters: Obj = {};
    if (this.chain.output) {
      if (!respond) parameters.output = compileObject(this.chain.output, 'output', this.jsonPath, prelude.spill);
    } else if (steps.length > 0)
      parameters['output.$'] = this.jsonPath({ source: '', root: 'steps', segments: [steps.at(-1)!.id] });
    else parameters.output = null;
    if (hasSteps) parameters['steps.$'] = '$.steps';
    else parameters.steps = {};
    if (respond) {
      const request: Obj = { stepId: respond.id, modelId: respond.model };
      if (respond.system !== undefined) putTemplate(request, 'system', respond.system, this.jsonPath, prelude.spill);
      if (respond.messages) {
        const from = parsePath(respond.messages.from);
        if (!from) {
          throw new ChainDefinitionError(
            `Step "${respond.id}": messages.from "${respond.messages.from}" is not a path.`,
            {
              stepId: respond.id,
            },
          );
        }
        if (from.root === 'input') {
          this.warn(
            respond.id,
            'large-messages',
            `Step "${respond.id}": the whole array at "${respond.messages.from}", which the caller sizes, goes into the execution output (the runtime keeps the last ${respond.messages.last ?? 'all'}); Step Functions caps it at 256 KiB.`,
          );
        }
        request['messages.$'] = this.jsonPath(from);
        if (respond.messages.last !== undefined) request.last = respond.messages.last;
      }
      if (respond.prompt !== undefined) putTemplate(request, 'prompt', respond.prompt, this.jsonPath, prelude.spill);
      const config: Obj = {};
      if (respond.maxTokens !== undefined) config.maxTokens = respond.maxTokens;
      if (respond.temperature !== undefined) config.temperature = respond.temperature;
      if (respond.topP !== undefined) config.topP = respond.topP;
      if (respond.stopSequences !== undefined) config.stopSequences = respond.stopSequences;
      if (Object.keys(config).length > 0) request.inferenceConfig = config;
      parameters.respond = request;
    }
    return {
      Type: 'Pass',
      Comment: respond ? comment(respond.id) : 'chain output',
      Parameters: parameters,
      End: true,
    };
  }

  // ---- warnings ----

  private ignoredPolicy(stepId: string, policy: StepPolicy): void {
    if (policy.retry || policy.catch || policy.timeoutSeconds !== undefined) {
      this.warn(
        stepId,
        'policy-ignored',
        `Step "${stepId}": a transform cannot fail or time out in ASL; its policy is ignored.`,
      );
    }
  }

  private warn(stepId: string, code: CompileWarning['code'], message: string): void {
    this.options.onWarning?.({ stepId, code, message });
  }
}

function comment(stepId: string): string {
  return `step:${stepId}`;
}

/**
 * Adds variables to what a state assigns when it ends: on the state, on each Choice rule (a rule's `Assign` replaces
 * the state's), and, given the machine's states, on each catcher that does not end the execution (a caught failure
 * assigns the catcher's, not the state's). With `initial`, a variable that a target already assigns keeps its value.
 */
function assignOn(state: AslState, values: Obj, states?: Record<string, AslState>, initial = false): void {
  const add = (current: AslJson | undefined): Obj => {
    const assign: Obj = { ...(current as Obj | undefined) };
    for (const [key, value] of Object.entries(values)) {
      if (initial && (key in assign || `${key}.$` in assign)) continue;
      assign[key] = value;
    }
    return assign;
  };
  state.Assign = add(state.Assign);
  if (Array.isArray(state.Choices)) for (const rule of state.Choices as Obj[]) rule.Assign = add(rule.Assign);
  if (states && Array.isArray(state.Catch)) {
    for (const catcher of state.Catch as Obj[]) {
      if (states[catcher.Next as string]?.Type !== 'Fail') catcher.Assign = add(catcher.Assign);
    }
  }
}

function itemFields(): Obj {
  return { 'item.$': '$[0].item', 'index.$': '$[0].index' };
}

function putTemplate(target: Obj, key: string, template: string, jsonPath: PathCompiler, spill: Spill): void {
  const compiled = compileTemplate(template, jsonPath, spill);
  if ('literal' in compiled) target[key] = compiled.literal;
  else target[`${key}.$`] = compiled.expression;
}

/** Escapes `*` and `\` for a Choice rule's `StringMatches` pattern. */
function escapeWildcards(text: string): string {
  return text.replace(/[*\\]/g, '\\$&');
}

/**
 * Replaces the sentinels the adapter copied into its body with the pieces they stand for (a template's text and
 * values, or the path of a text rendered before the call). The adapter's own text around them is kept as it is.
 */
function fillSentinels(value: AslJson, pieces: TextPiece[][], spill: Spill): AslJson {
  if (Array.isArray(value)) return value.map((entry) => fillSentinels(entry, pieces, spill));
  if (value === null || typeof value !== 'object') return value;
  const out: Obj = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string' && entry.includes('\uE000stepwise:')) {
      const parts: TextPiece[] = [];
      let last = 0;
      for (const match of entry.matchAll(SENTINEL)) {
        if (match.index > last) parts.push({ type: 'text', value: entry.slice(last, match.index) });
        parts.push(...pieces[Number(match[1])]!);
        last = match.index + match[0].length;
      }
      if (last < entry.length) parts.push({ type: 'text', value: entry.slice(last) });
      const compiled = compilePieces(parts, spill);
      if ('literal' in compiled) out[key] = compiled.literal;
      else out[`${key}.$`] = compiled.expression;
    } else {
      out[key] = fillSentinels(entry, pieces, spill);
    }
  }
  return out;
}

/**
 * The `value` of a `boolean` invoke: the parsed answer `value` (an expression or a path), and a run-time error
 * (`States.Runtime`, which no Retry or Catch handles) when it is not `true` or `false`. `States.ArrayContains` tells
 * whether the value is a boolean; formatted, that is `true` or `false`, and split on `a` its first piece is `true` or
 * `f`, which `States.StringToJson` cannot parse. `States.Array(value, check)` evaluates both; its first item is the
 * value. Eight intrinsic calls plus twice those of `value`: ten for `States.StringToJson($.Body...)`.
 */
function booleanValue(value: string): string {
  const isBoolean = `States.ArrayContains(States.Array(true, false), ${value})`;
  const check = `States.StringToJson(States.ArrayGetItem(States.StringSplit(States.Format('{}', ${isBoolean}), 'a'), 0))`;
  return `States.ArrayGetItem(States.Array(${value}, ${check}), 0)`;
}
