import {
  AbortedError,
  addUsage,
  type Chain,
  type ChainEvent,
  type ChainResult,
  type ChainUsage,
  emptyUsage,
  errorMatches,
  evaluateCondition,
  forEachItem,
  getModelAdapter,
  getPath,
  getProviderApi,
  type InvokeStep,
  isProviderModel,
  type KnowledgeBase,
  type MapStep,
  type ModelMessage,
  type ModelProvider,
  type ModelRequest,
  type ModelUsage,
  modelStreamError,
  neutraliseControlTokens,
  type ParallelStep,
  parseModelReference,
  parsePath,
  type RespondStep,
  type RetrieveStep,
  type RunTelemetry,
  renderTemplate,
  resolveValue,
  respondMessages,
  SPLIT_DRAW_RANGE,
  type SplitStep,
  type Step,
  type StepEndEvent,
  StepFailedError,
  type StepPolicy,
  type StepRetryEvent,
  type StepStartEvent,
  type TaskHandler,
  type TaskStep,
  type TraceSpan,
} from '@stepwise/core';
import { RespondTrace, traceInvoke, traceRetrieve, traceRetry, traceStep } from '../telemetry/trace-local-run';
import { abortable } from './abortable';
import { answerOfAMissingResource } from './answer-of-a-missing-resource';
import type { Clock } from './clock';
import { renderedControlToken } from './rendered-control-token';
import { createStepEventLog, type StepEventLog } from './step-event-log';
import { stringToJson } from './string-to-json';
import { toStepFailure } from './to-step-failure';

/** The runtime's configuration, resolved once by `createLocalRuntime`. @internal */
export interface LocalRuntimeConfig {
  models: ModelProvider;
  knowledgeBases: { [id: string]: KnowledgeBase };
  handlers: { [name: string]: TaskHandler };
  clock: Clock;
  random: () => number;
}

/** The state document of one path: `{ input, steps }`, plus `item` and `index` inside a `map` iteration. */
interface State {
  input: unknown;
  steps: { [stepId: string]: unknown };
  item?: unknown;
  index?: number;
}

/** Where a nested step reports from, with `detail: 'nested'`: the step it runs inside, and its map iteration. */
interface Place {
  parent: string;
  index: number | undefined;
}

/**
 * Where a step runs: its state, the signal that stops it, and whether it reports events: on the main path, or nested
 * (`at`, set only with `detail: 'nested'`).
 */
interface Scope {
  state: State;
  signal: AbortSignal;
  main: boolean;
  at: Place | undefined;
  /** The span the steps here start under, when the run is traced (the run's, or the containing step's). */
  span: TraceSpan | undefined;
}

/** Groups (parallel branches, map iterations) that run up to this many tasks at once share one abort signal. */
const GROUP_SHARED_SIGNAL_LIMIT = 16;
/** A worker of a wider group takes a new abort signal every this many tasks. */
const WORKER_SIGNAL_RENEWAL = 64;

const EMPTY_USAGE: ModelUsage = Object.freeze({ inputTokens: 0, outputTokens: 0 }) as ModelUsage;

function childState(state: State): State {
  const child: State = { input: state.input, steps: { ...state.steps } };
  if ('item' in state) {
    child.item = state.item;
    child.index = state.index as number;
  }
  return child;
}

/** A nested step's event carries where it runs (`parent`, `index`); a top-level step's carries neither. */
function placed<Event extends StepStartEvent | StepEndEvent | StepRetryEvent>(
  event: Event,
  at: Place | undefined,
): Event {
  if (at !== undefined) {
    event.parent = at.parent;
    if (at.index !== undefined) event.index = at.index;
  }
  return event;
}

function runtimeFailure(step: Step, message: string): StepFailedError {
  return new StepFailedError(`Step "${step.id}" failed: ${message}`, {
    error: 'States.Runtime',
    errorCause: message,
    stepId: step.id,
  });
}

/**
 * One run of a chain: executes the chain data directly. `emit` is set when the run is streamed.
 * @internal
 */
export class LocalRun {
  readonly usage: ChainUsage = emptyUsage();
  private readonly controller = new AbortController();
  private readonly signal = this.controller.signal;
  private text: string | undefined;
  /**
   * Step events of the main path, held back while the run is streamed (decision 0001): Step Functions reports steps
   * only once its execution has succeeded, so they are delivered together before `respond` starts (or before
   * `chain-end`), and dropped when the run fails first. A failed attempt's events are dropped as it fails.
   */
  private readonly log: StepEventLog | undefined;
  private readonly userSignal: AbortSignal | undefined;
  private readonly onUserAbort: (() => void) | undefined;
  /** `detail: 'nested'` on a streamed run: steps inside other steps report too, live. */
  private readonly nested: boolean;
  /** The run's spans, set by the runtime before `execute` when they record. */
  telemetry: RunTelemetry | undefined = undefined;

  constructor(
    private readonly config: LocalRuntimeConfig,
    private readonly chain: Chain,
    private readonly emit: ((event: ChainEvent) => void) | undefined,
    signal: AbortSignal | undefined,
    private readonly runId: string | undefined,
    live = false,
    nested = false,
  ) {
    this.nested = emit !== undefined && nested;
    // nested events only mean something as they happen: `detail: 'nested'` streams live
    this.log = emit ? createStepEventLog(emit, live || this.nested) : undefined;
    if (signal) {
      this.userSignal = signal;
      this.onUserAbort = () => this.abort();
      if (signal.aborted) this.abort();
      else signal.addEventListener('abort', this.onUserAbort, { once: true });
    }
  }

  /** Stops the run at once; it rejects with `AbortedError`. */
  abort(): void {
    if (!this.signal.aborted) this.controller.abort(new AbortedError(`Run of chain "${this.chain.name}" was aborted.`));
  }

  async execute(input: unknown): Promise<ChainResult> {
    try {
      if (this.signal.aborted) throw this.signal.reason;
      const emit = this.emit;
      const started = emit ? this.config.clock.now() : 0;
      if (emit) emit({ type: 'chain-start', runId: this.runId ?? crypto.randomUUID(), chain: this.chain.name });
      const state: State = { input, steps: {} };
      const scope: Scope = { state, signal: this.signal, main: true, at: undefined, span: this.telemetry?.run };
      let last: unknown = null;
      for (const step of this.chain.steps) {
        const output = await this.step(step, scope);
        if (step.type !== 'respond') last = output;
      }
      const output = this.chain.output ? this.chainOutput(state) : last;
      const result: ChainResult = { output, usage: this.usage, steps: state.steps };
      if (this.text !== undefined) result.text = this.text;
      if (emit) {
        this.flush();
        const end: ChainEvent = { type: 'chain-end', output, usage: this.usage, ms: this.config.clock.now() - started };
        if (this.text !== undefined) end.text = this.text;
        emit(end);
      }
      return result;
    } finally {
      if (this.onUserAbort) this.userSignal?.removeEventListener('abort', this.onUserAbort);
    }
  }

  /** The chain output, `chain.output` built from the final state; failing with `States.Runtime`. */
  private chainOutput(state: State): unknown {
    try {
      return resolveValue(this.chain.output!, state);
    } catch (error) {
      throw new StepFailedError(`The chain output could not be built: ${(error as Error).message}`, {
        error: 'States.Runtime',
        cause: error,
      });
    }
  }

  /** Delivers the held-back step events, in order. */
  private flush(): void {
    this.log?.flush();
  }

  private steps(steps: Step[], scope: Scope): Promise<unknown> {
    return steps.length === 1 ? this.step(steps[0]!, scope) : this.sequence(steps, scope);
  }

  private async sequence(steps: Step[], scope: Scope): Promise<unknown> {
    let output: unknown = null;
    for (const step of steps) output = await this.step(step, scope);
    return output;
  }

  private step(step: Step, scope: Scope): Promise<unknown> {
    const telemetry = this.telemetry;
    if (telemetry === undefined || step.type === 'respond') return this.runStep(step, scope);
    return traceStep(telemetry, step, scope, (traced) => this.runStep(step, traced));
  }

  private async runStep(step: Step, scope: Scope): Promise<unknown> {
    if (scope.signal.aborted) throw scope.signal.reason;
    if (step.type === 'respond') return this.respond(step, scope);
    const log = scope.main || scope.at !== undefined ? this.log : undefined;
    const started = log ? this.config.clock.now() : 0;
    if (log) log.push(placed({ type: 'step-start', stepId: step.id, stepType: step.type }, scope.at));
    const policy = step.policy;
    let output: unknown;
    let caught = false;
    if (policy) {
      const outcome = await this.withPolicy(step, policy, scope, log);
      output = outcome.output;
      caught = outcome.caught;
    } else {
      try {
        output = await this.attempt(step, scope);
      } catch (error) {
        if (scope.signal.aborted) throw scope.signal.reason;
        throw toStepFailure(error, step.id);
      }
    }
    // A step that finished after its run or attempt was stopped (a timeout) leaves no trace.
    if (scope.signal.aborted) throw scope.signal.reason;
    scope.state.steps[step.id] = output;
    if (log) {
      const end: StepEndEvent = {
        type: 'step-end',
        stepId: step.id,
        stepType: step.type,
        output,
        ms: this.config.clock.now() - started,
      };
      if (!caught && step.type === 'invoke') end.usage = (output as { usage: ModelUsage }).usage;
      log.push(placed(end, scope.at));
    }
    return output;
  }

  /**
   * Runs a step's attempts under its policy, as a Step Functions retrier and catcher do. A failed attempt leaves
   * nothing behind: its step events are dropped, and a `choose` or `split` runs each attempt on a copy of the state
   * (as the compiled machine runs it in a one-branch Parallel), so the outputs of the steps inside come from the
   * attempt that succeeded, or from none when the catch fires.
   */
  private async withPolicy(
    step: Exclude<Step, RespondStep>,
    policy: StepPolicy,
    scope: Scope,
    log: StepEventLog | undefined,
  ): Promise<{ output: unknown; caught: boolean }> {
    const { retry, timeoutSeconds } = policy;
    const isolated = step.type === 'choose' || step.type === 'split';
    for (let attempt = 1; ; attempt++) {
      const mark = log ? log.size : 0;
      const run: Scope = isolated
        ? { state: childState(scope.state), signal: scope.signal, main: scope.main, at: scope.at, span: scope.span }
        : scope;
      try {
        const output =
          timeoutSeconds === undefined
            ? await this.attempt(step, run)
            : await this.attemptWithTimeout(step, run, timeoutSeconds);
        if (isolated) Object.assign(scope.state.steps, run.state.steps);
        return { output, caught: false };
      } catch (error) {
        log?.truncate(mark);
        if (scope.signal.aborted) throw scope.signal.reason;
        const failure = toStepFailure(error, step.id);
        if (failure.error === 'States.Runtime') throw failure;
        if (retry && attempt <= (retry.maxAttempts ?? 3) && errorMatches(retry.errors, failure.error)) {
          let delay = (retry.intervalSeconds ?? 1) * 1000 * (retry.backoffRate ?? 2) ** (attempt - 1);
          if (retry.maxDelaySeconds !== undefined) delay = Math.min(delay, retry.maxDelaySeconds * 1000);
          if (retry.jitter === 'FULL') delay *= this.config.random();
          traceRetry(this.telemetry, scope.span, attempt + 1);
          if (log) {
            const retrying: StepRetryEvent = {
              type: 'step-retry',
              stepId: step.id,
              attempt: attempt + 1,
              error: { name: failure.error, message: failure.message },
            };
            log.push(placed(retrying, scope.at));
          }
          await this.sleep(delay, scope.signal);
          continue;
        }
        if (policy.catch && errorMatches(policy.catch.errors, failure.error)) {
          const fallback: Scope = {
            state: childState(scope.state),
            signal: scope.signal,
            main: false,
            at: this.placeIn(step, scope),
            span: scope.span,
          };
          return { output: await this.steps(policy.catch.fallback, fallback), caught: true };
        }
        throw failure;
      }
    }
  }

  private async attemptWithTimeout(step: Step, scope: Scope, seconds: number): Promise<unknown> {
    const { clock } = this.config;
    const controller = new AbortController();
    const outer = scope.signal;
    const forward = () => controller.abort(outer.reason);
    outer.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, seconds * 1000);
    try {
      return await abortable(
        this.attempt(step, {
          state: scope.state,
          signal: controller.signal,
          main: scope.main,
          at: scope.at,
          span: scope.span,
        }),
        controller.signal,
      );
    } catch (error) {
      if (timedOut && !outer.aborted) {
        throw new StepFailedError(`Step "${step.id}" timed out after ${seconds} s.`, {
          error: 'States.Timeout',
          errorCause: `The step did not finish within ${seconds} seconds.`,
          stepId: step.id,
        });
      }
      throw error;
    } finally {
      clock.clearTimeout(timer);
      outer.removeEventListener('abort', forward);
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    const { clock } = this.config;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clock.clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One attempt of a step, without its policy. */
  private attempt(step: Step, scope: Scope): Promise<unknown> {
    switch (step.type) {
      case 'invoke':
        return this.invoke(step, scope);
      case 'respond':
        return Promise.reject(runtimeFailure(step, 'respond runs as the last top-level step only.'));
      case 'retrieve':
        return this.retrieve(step, scope);
      case 'task':
        return this.task(step, scope);
      case 'transform':
        return Promise.resolve(resolveValue(step.set, scope.state, step.id));
      case 'parallel':
        return this.parallel(step, scope);
      case 'choose': {
        const { state } = scope;
        for (const option of step.cases) {
          if (evaluateCondition(option.when, state)) return this.steps(option.steps, this.inside(step, scope));
        }
        return step.otherwise ? this.steps(step.otherwise, this.inside(step, scope)) : Promise.resolve(null);
      }
      case 'map':
        return this.map(step, scope);
      case 'split':
        return this.split(step, scope);
      default:
        return Promise.reject(runtimeFailure(step, `unknown step type "${(step as { type: string }).type}".`));
    }
  }

  private async invoke(step: InvokeStep, scope: Scope): Promise<unknown> {
    const { state, signal } = scope;
    const messages: ModelMessage[] = [{ role: 'user', content: renderTemplate(step.prompt, state, step.id) }];
    if (step.prefill) messages.push({ role: 'assistant', content: step.prefill });
    const request = modelRequest(step, state, messages);
    const family = familyOf(step);
    // The limit the compiled HTTP Task sends where the provider's API requires one, so both runtimes ask the same.
    if (family.anthropicApi) {
      if (request.maxTokens === undefined) request.maxTokens = getProviderApi('anthropic').defaultMaxTokens;
      // Anthropic's API refuses a prefill that ends with whitespace; the compiled HTTP Task's body trims it too.
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.content = last.content.trimEnd();
    }
    const controlToken = renderedControlToken(step, state);
    if (controlToken !== undefined) throw runtimeFailure(step, controlToken);
    // What the family adapter sends (and the compiled body holds): the template's own control tokens neutralised.
    const tokens = family.controlTokens;
    if (tokens !== undefined) {
      messages[0]!.content = neutraliseControlTokens(messages[0]!.content, tokens);
      if (request.system !== undefined) request.system = neutraliseControlTokens(request.system, tokens);
    }
    // Providers stop at once on abort (ModelProvider spec), so no race here: it would cost a listener per call.
    const response = await (scope.span === undefined
      ? this.config.models.doInvoke(request, { signal })
      : traceInvoke(this.telemetry!, scope.span, step, request, this.config.models, signal));
    if (signal.aborted) throw signal.reason;
    const usage = response.usage ?? EMPTY_USAGE;
    addUsage(this.usage, step.model, usage);
    const text = step.prefill ? step.prefill + response.text : response.text;
    if (step.output === 'text' || step.output === undefined) return { text, usage };
    let value: unknown;
    try {
      value = stringToJson(text);
    } catch {
      throw runtimeFailure(step, `the model's answer is not valid JSON: ${JSON.stringify(text.slice(0, 200))}.`);
    }
    if (step.output === 'boolean' && typeof value !== 'boolean') {
      throw runtimeFailure(step, `the model's answer is not true or false: ${JSON.stringify(text.slice(0, 200))}.`);
    }
    return { text, value, usage };
  }

  /**
   * The final streamed answer, in the compiled machine's order: its final state renders the request (the history's
   * path, `system` and `prompt`), and fails with `States.Runtime` before any step is reported; then the held-back step
   * events go out, `respond` starts, its history is checked (`respondMessages`) and the model streams. The chain output
   * is built after the answer, on both runtimes.
   */
  private async respond(step: RespondStep, scope: Scope): Promise<unknown> {
    const { state, signal } = scope;
    const emit = scope.main ? this.emit : undefined;
    let started = 0;
    const trace = scope.span === undefined ? undefined : new RespondTrace(this.telemetry!, scope.span, step);
    try {
      let history: unknown;
      if (step.messages) {
        const path = parsePath(step.messages.from);
        const found = path ? getPath(state, path) : undefined;
        if (!found?.found) throw runtimeFailure(step, `messages path "${step.messages.from}" does not exist.`);
        history = found.value;
      }
      const messages: ModelMessage[] = [];
      const prompt = step.prompt === undefined ? undefined : renderTemplate(step.prompt, state, step.id);
      const request = modelRequest(step, state, messages);
      if (emit) {
        this.flush();
        started = this.config.clock.now();
        emit({ type: 'step-start', stepId: step.id, stepType: 'respond' });
      }
      if (step.messages) {
        const options = { stepId: step.id, from: step.messages.from, last: step.messages.last };
        for (const message of respondMessages(history, options)) messages.push(message);
      }
      if (prompt !== undefined) messages.push({ role: 'user', content: prompt });
      let text = '';
      let usage: ModelUsage | undefined;
      const stepId = step.id;
      // By push when the provider's stream offers it (fakeModels does): no promise per token.
      const consume = () =>
        forEachItem(this.config.models.doStream(request, { signal }), (part) => {
          if (signal.aborted) throw signal.reason;
          if (part.type === 'text-delta') {
            text += part.delta;
            if (emit) emit({ type: 'text-delta', stepId, delta: part.delta });
          } else if (part.type === 'finish') {
            usage = part.usage;
          }
        });
      await (trace === undefined ? consume() : trace.stream(request, consume));
      if (signal.aborted) throw signal.reason;
      // A stream that ends without its finish part broke off: never an answer (any provider, not only Bedrock's).
      if (usage === undefined) throw modelStreamError(`The answer of step "${stepId}" ended before its final event.`);
      addUsage(this.usage, step.model, usage);
      if (scope.main) this.text = text;
      const output = { text, usage };
      trace?.end(output);
      state.steps[step.id] = output;
      if (emit) {
        emit({
          type: 'step-end',
          stepId,
          stepType: 'respond',
          output,
          usage,
          ms: this.config.clock.now() - started,
        });
      }
      return output;
    } catch (error) {
      const failure = signal.aborted ? signal.reason : toStepFailure(error, step.id);
      trace?.fail(failure);
      throw failure;
    }
  }

  /** `retrieve`: the query first (a missing path is `States.Runtime`), then the knowledge base, as ASL does. */
  private async retrieve(step: RetrieveStep, scope: Scope): Promise<unknown> {
    const query = renderTemplate(step.query, scope.state, step.id);
    const knowledgeBase = this.config.knowledgeBases[step.knowledgeBaseId];
    if (!knowledgeBase) {
      const error = new Error(`Knowledge base "${step.knowledgeBaseId}" is not configured in this runtime.`);
      error.name = 'BedrockAgentRuntime.ResourceNotFoundException';
      await answerOfAMissingResource(scope.signal);
      throw error;
    }
    const request = { knowledgeBaseId: step.knowledgeBaseId, query, topK: step.topK ?? 5 };
    const search = () => abortable(knowledgeBase.retrieve(request, { signal: scope.signal }), scope.signal);
    const results = await (scope.span === undefined
      ? search()
      : traceRetrieve(this.telemetry!, scope.span, step.id, request, search));
    return { results };
  }

  /** `task`: the payload first (a missing path is `States.Runtime`), then the handler, as ASL does. */
  private async task(step: TaskStep, scope: Scope): Promise<unknown> {
    const input =
      step.input === undefined ? { input: scope.state.input } : resolveValue(step.input, scope.state, step.id);
    const handler = this.config.handlers[step.handler];
    if (!handler) {
      const error = new Error(`Task handler "${step.handler}" is not configured in this runtime.`);
      error.name = 'Lambda.ResourceNotFoundException';
      await answerOfAMissingResource(scope.signal);
      throw error;
    }
    const { signal } = scope;
    const output = await abortable(Promise.resolve(handler(input, { stepId: step.id, signal })), signal);
    return output === undefined ? null : output;
  }

  /** Where the steps inside `step` report from, with `detail: 'nested'`: in it, in the same map iteration. */
  private placeIn(step: Step, scope: Scope): Place | undefined {
    return this.nested ? { parent: step.id, index: scope.at?.index } : undefined;
  }

  /** The scope of the steps of a `choose` case or `split` variant: the same path, placed inside `step` when nested. */
  private inside(step: Step, scope: Scope): Scope {
    if (!this.nested) return scope;
    return {
      state: scope.state,
      signal: scope.signal,
      main: scope.main,
      at: this.placeIn(step, scope),
      span: scope.span,
    };
  }

  private async parallel(step: ParallelStep, scope: Scope): Promise<unknown> {
    const names = Object.keys(step.branches);
    const at = this.placeIn(step, scope);
    const outputs = await this.group(
      names.length,
      (index, signal) =>
        this.steps(step.branches[names[index]!]!, {
          state: childState(scope.state),
          signal,
          main: false,
          at,
          span: scope.span,
        }),
      0,
      scope.signal,
    );
    const output: { [branch: string]: unknown } = {};
    for (let index = 0; index < names.length; index++) output[names[index]!] = outputs[index];
    return output;
  }

  private async map(step: MapStep, scope: Scope): Promise<unknown> {
    const { state } = scope;
    const path = parsePath(step.items);
    const found = path ? getPath(state, path) : { found: false };
    if (!found.found || !Array.isArray(found.value)) {
      throw runtimeFailure(step, `items path "${step.items}" is not an array.`);
    }
    const items = found.value;
    return this.group(
      items.length,
      (index, signal) => {
        const iteration: State = { input: state.input, steps: { ...state.steps }, item: items[index], index };
        const at = this.nested ? { parent: step.id, index } : undefined;
        return this.steps(step.steps, { state: iteration, signal, main: false, at, span: scope.span });
      },
      step.maxConcurrency ?? 0,
      scope.signal,
    );
  }

  private split(step: SplitStep, scope: Scope): Promise<unknown> {
    const names = Object.keys(step.variants);
    let total = 0;
    for (const name of names) total += step.variants[name]!.weight;
    // The draw of the compiled machine, `States.MathRandom(0, SPLIT_DRAW_RANGE)`, compared with each variant's
    // cumulative threshold: the same `random` picks the same variant on both runtimes, boundaries included.
    const draw = Math.min(SPLIT_DRAW_RANGE, Math.floor(this.config.random() * (SPLIT_DRAW_RANGE + 1)));
    let chosen = names[names.length - 1]!;
    let cumulative = 0;
    for (const name of names) {
      cumulative += step.variants[name]!.weight;
      if (draw < (cumulative / total) * SPLIT_DRAW_RANGE) {
        chosen = name;
        break;
      }
    }
    return this.steps(step.variants[chosen]!.steps, this.inside(step, scope)).then((output) => ({
      variant: chosen,
      output,
    }));
  }

  /**
   * Runs `count` tasks at once (at most `limit` when > 0) and returns their outputs in order. On the first failure the
   * others are stopped, and the failure is thrown once every task has settled, so nothing is left running.
   *
   * Scheduled lazily: `width` workers each take the next index when they finish a task, so a map of a million items
   * holds `width` tasks at a time (not a million queued closures and promises), and memory grows with the outputs only.
   */
  private async group(
    count: number,
    run: (index: number, signal: AbortSignal) => Promise<unknown>,
    limit: number,
    outer: AbortSignal,
  ): Promise<unknown[]> {
    // Filled as tasks end, nearly in order: a fast (not dictionary) array even for millions of items.
    const results: unknown[] = [];
    if (count === 0) return results;
    const width = limit > 0 && limit < count ? limit : count;
    const controller = new AbortController();
    const { signal } = controller;
    // Narrow groups share one signal. Wide ones give each worker its own: hundreds of listeners on one AbortSignal
    // make every add and remove linear. A worker renews its signal every few tasks, so listeners that user code
    // leaves behind are dropped with it instead of piling up over a long map.
    const own = width > GROUP_SHARED_SIGNAL_LIMIT ? new Array<AbortController>(width) : undefined;
    const stop = (reason: unknown) => {
      controller.abort(reason);
      if (own) for (const task of own) task?.abort(reason);
    };
    const forward = () => stop(outer.reason);
    outer.addEventListener('abort', forward, { once: true });
    let failed = false;
    let failure: unknown;
    let next = 0;
    const worker = async (slot: number): Promise<void> => {
      let runs = 0;
      while (next < count && !signal.aborted) {
        const index = next++;
        let taskSignal = signal;
        if (own) {
          if (runs++ % WORKER_SIGNAL_RENEWAL === 0) own[slot] = new AbortController();
          taskSignal = own[slot]!.signal;
        }
        try {
          results[index] = await run(index, taskSignal);
        } catch (error) {
          if (!failed) {
            failed = true;
            failure = error;
            stop(error);
          }
        }
      }
    };
    try {
      const workers = new Array<Promise<void>>(width);
      for (let slot = 0; slot < width; slot++) workers[slot] = worker(slot);
      await Promise.all(workers);
    } finally {
      outer.removeEventListener('abort', forward);
    }
    if (failed) throw failure;
    if (outer.aborted) throw outer.reason;
    return results;
  }
}

/** What an `invoke` sends depends on its model's family; read once per step object (chains are data and reused). */
const families = new WeakMap<InvokeStep, { anthropicApi: boolean; controlTokens: readonly string[] | undefined }>();

function familyOf(step: InvokeStep): { anthropicApi: boolean; controlTokens: readonly string[] | undefined } {
  let family = families.get(step);
  if (family === undefined) {
    const provider = isProviderModel(step.model);
    const tokens = provider ? undefined : getModelAdapter(step.model).controlTokens;
    family = {
      anthropicApi: provider && parseModelReference(step.model).provider === 'anthropic',
      controlTokens: tokens !== undefined && tokens.length > 0 ? tokens : undefined,
    };
    families.set(step, family);
  }
  return family;
}

/** The model request of an `invoke` or `respond` step: its messages, rendered system prompt and model settings. */
function modelRequest(step: InvokeStep | RespondStep, state: unknown, messages: ModelMessage[]): ModelRequest {
  const request: ModelRequest = { modelId: step.model, stepId: step.id, messages };
  if (step.system !== undefined) request.system = renderTemplate(step.system, state, step.id);
  if (step.maxTokens !== undefined) request.maxTokens = step.maxTokens;
  if (step.temperature !== undefined) request.temperature = step.temperature;
  if (step.topP !== undefined) request.topP = step.topP;
  if (step.stopSequences !== undefined) request.stopSequences = step.stopSequences;
  return request;
}
