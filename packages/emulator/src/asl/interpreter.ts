import { type ChoiceRule, evaluateChoiceRule } from './choice-rule';
import { type Clock, realClock } from './clock';
import { AslError, isTerminalError, RuntimeFault } from './errors';
import { isJsonObject, numberValue, parseJson, stringifyJson } from './json/java-json';
import { jsonByteSize } from './json/json-byte-size';
import { evaluateJsonPath, type JsonPathScope } from './json-path/evaluate-json-path';
import { parseJsonPath } from './json-path/parse-json-path';
import { evaluateTemplate, pathNotFound, readPath } from './payload-template';
import { applyResultPath } from './result-path';
import { parseTimestamp } from './timestamp';

/** A Task state's call, as the interpreter hands it to {@link RunOptions.invokeTask}. */
export interface TaskRequest {
  stateName: string;
  /** The state's definition. */
  state: Record<string, unknown>;
  resource: string;
  /** The state's effective input: its input after InputPath and Parameters. */
  parameters: unknown;
  /** Aborts when the task times out, a sibling branch fails or the execution ends. */
  signal: AbortSignal;
}

/**
 * Runs a Task state's work. A failure is an error whose `name` is the ASL error name (`Lambda.Unknown`,
 * `Bedrock.ThrottlingException`, `States.Runtime`) and whose `message` (or `cause`, when a string) is the cause.
 */
export type InvokeTask = (request: TaskRequest) => Promise<unknown>;

/** Options of {@link runStateMachine}. */
export interface RunOptions {
  /** Runs Task states. Default: every Task fails with `States.Runtime` (no resource is served). */
  invokeTask?: InvokeTask | undefined;
  /** Context object fields: `Execution` (`Id`, `Name`, `RoleArn`) and `StateMachine` (`Id`, `Name`). */
  context?: { Execution?: Record<string, unknown>; StateMachine?: Record<string, unknown> } | undefined;
  /** Overrides every Retry interval, in milliseconds (tests). */
  retryDelayMs?: number | undefined;
  /** Source of `States.MathRandom` draws and retry jitter, in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
  /** The clock Wait states and Retry intervals sleep on. Default: the wall clock. */
  clock?: Clock | undefined;
  /** The execution's time limit, in seconds. Default 300, Express workflows' limit. */
  timeoutSeconds?: number | undefined;
  /** Stops the execution (it then fails with `States.Runtime`). */
  signal?: AbortSignal | undefined;
}

/** How a run ended. An absent `error` or `cause` is absent on Step Functions too (a Fail state without them). */
export type RunOutcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error: string | undefined; cause: string | undefined; stateName: string | undefined }
  | { status: 'TIMED_OUT'; error: string; cause: string };

type State = Record<string, unknown> & { Type?: string };
interface Machine {
  StartAt?: string;
  States?: Record<string, State>;
}

/** Step Functions' payload quota: 256 KiB for a state's input, result and output, and for the execution's input. */
export const MAX_PAYLOAD_BYTES = 262_144;
/** Express workflows run at most five minutes. */
export const EXPRESS_MAX_SECONDS = 300;
/** A Task state's timeout when it declares none, in seconds. */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/** The execution ran out of time: a signal, not an error (no stack to capture on every run). */
class ExecutionTimeout {
  constructor(readonly message: string) {}
}

/** What a state sees besides its input: variables and, inside a Map iteration, the item. */
interface Frame {
  variables: Record<string, unknown>;
  mapItem?: { Index: number; Value: unknown };
  signal: AbortSignal;
}

/** What paths, templates and intrinsic functions of a state read. */
interface Scope {
  input: unknown;
  context: Record<string, unknown>;
  variables: Record<string, unknown>;
  random: () => number;
}

interface StateResult {
  output: unknown;
  next: string | undefined;
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length * 3 < MAX_PAYLOAD_BYTES ? 0 : Buffer.byteLength(value) + 2;
  if (typeof value !== 'object' || value === null) return 0;
  return jsonByteSize(value);
}

function errorOutput(error: AslError): Record<string, unknown> {
  return {
    ...(error.error !== undefined ? { Error: error.error } : {}),
    ...(error.cause !== undefined ? { Cause: error.cause } : {}),
  };
}

function matchesError(names: unknown, error: string | undefined): boolean {
  if (!Array.isArray(names)) return false;
  if (isTerminalError(error)) return false;
  return names.some(
    (name) =>
      name === 'States.ALL' ||
      name === error ||
      (name === 'States.TaskFailed' && error !== 'States.Timeout' && error !== undefined),
  );
}

/** Reads an integer field or its `...Path` variant (MaxConcurrencyPath, ToleratedFailureCountPath). */
function integerFromPath(value: unknown, field: string, path: string): number {
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : numberValue(value);
  if (number === undefined || !Number.isInteger(number)) {
    const shown = typeof value === 'string' ? value : stringifyJson(value);
    throw new RuntimeFault(`The ${field} field refers to value "${shown}" which is not a valid integer: ${path}`);
  }
  return number;
}

class Execution {
  #eventId = 1;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #options: RunOptions;
  readonly #context: { Execution: Record<string, unknown>; StateMachine: Record<string, unknown> };

  constructor(options: RunOptions, input: unknown, startTime: string) {
    this.#options = options;
    this.#clock = options.clock ?? realClock();
    this.#random = options.random ?? Math.random;
    this.#context = {
      Execution: { ...options.context?.Execution, Input: input, StartTime: startTime, RedriveCount: 0 },
      StateMachine: { ...options.context?.StateMachine },
    };
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** Takes the next history event id. */
  event(): number {
    this.#eventId += 1;
    return this.#eventId;
  }

  contextFor(name: string, entered: string, retryCount: number, frame: Frame): Record<string, unknown> {
    return {
      ...this.#context,
      State: { Name: name, EnteredTime: entered, RetryCount: retryCount },
      ...(frame.mapItem ? { Map: { Item: frame.mapItem } } : {}),
    };
  }

  async runMachine(machine: Machine, input: unknown, frame: Frame): Promise<unknown> {
    const states = machine.States ?? {};
    let name = machine.StartAt;
    let value = input;
    for (;;) {
      frame.signal.throwIfAborted();
      if (name === undefined || !Object.hasOwn(states, name)) {
        throw new AslError('States.Runtime', `The state machine has no state named '${String(name)}'.`);
      }
      const state = states[name] as State;
      const { output, next } = await this.runState(name, state, value, frame);
      value = output;
      if (next === undefined) return value;
      name = next;
    }
  }

  async runState(name: string, state: State, input: unknown, frame: Frame): Promise<StateResult> {
    const enteredId = this.event();
    const entered = new Date(this.#clock.now()).toISOString();
    const fail = (error: unknown): never => {
      if (error instanceof AslError) throw error;
      if (error instanceof ExecutionTimeout) throw error;
      if (frame.signal.aborted && error === frame.signal.reason) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new AslError(
        'States.Runtime',
        `An error occurred while executing the state '${name}' (entered at the event id #${enteredId}). ${message}`,
        name,
      );
    };
    try {
      if (sizeOf(input) > MAX_PAYLOAD_BYTES) {
        throw new AslError(
          'States.DataLimitExceeded',
          `The state/task '${name}' has an input with a size exceeding the maximum number of bytes service limit.`,
          name,
        );
      }
      const result = await this.#dispatch(name, state, input, frame, entered);
      if (state.Type !== 'Fail') this.event(); // StateExited
      return result;
    } catch (error) {
      return fail(error);
    }
  }

  #scope(input: unknown, name: string, entered: string, frame: Frame, retryCount = 0): Scope {
    return {
      input,
      context: this.contextFor(name, entered, retryCount, frame),
      variables: frame.variables,
      random: this.#random,
    };
  }

  #inputPath(state: State, input: unknown, scope: JsonPathScope): unknown {
    if (state.InputPath === null) return {};
    if (state.InputPath === undefined || state.InputPath === '$') return input;
    return this.#path(state.InputPath, scope);
  }

  #outputPath(state: State, output: unknown, scope: JsonPathScope): unknown {
    if (state.OutputPath === null) return {};
    if (state.OutputPath === undefined || state.OutputPath === '$') return output;
    return this.#path(state.OutputPath, { ...scope, input: output });
  }

  #path(text: unknown, scope: JsonPathScope): unknown {
    if (typeof text !== 'string') throw new RuntimeFault(`Invalid path '${String(text)}'`);
    const path = parseJsonPath(text);
    try {
      return evaluateJsonPath(path, scope);
    } catch (error) {
      throw new RuntimeFault(`Invalid path '${text}' : ${(error as Error).message}`);
    }
  }

  #assign(assign: unknown, scope: Scope, frame: Frame): void {
    if (!isJsonObject(assign)) return;
    const values = evaluateTemplate(assign, scope) as Record<string, unknown>;
    frame.variables = { ...frame.variables, ...values };
  }

  #checkSize(value: unknown, name: string): void {
    if (sizeOf(value) > MAX_PAYLOAD_BYTES) {
      throw new AslError(
        'States.DataLimitExceeded',
        `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
        name,
      );
    }
  }

  async #dispatch(name: string, state: State, input: unknown, frame: Frame, entered: string): Promise<StateResult> {
    if (state.QueryLanguage === 'JSONata') {
      throw new RuntimeFault('The emulator runs the JSONPath query language only: JSONata states are not emulated.');
    }
    const scope = this.#scope(input, name, entered, frame);
    const next = state.End === true ? undefined : (state.Next as string | undefined);
    switch (state.Type) {
      case 'Pass': {
        const effective = this.#inputPath(state, input, scope);
        let result: unknown;
        if (state.Result !== undefined) result = state.Result;
        else if (state.Parameters !== undefined)
          result = evaluateTemplate(state.Parameters, { ...scope, input: effective });
        else result = effective;
        this.#checkSize(result, name);
        const output = this.#outputPath(state, applyResultPath(input, state.ResultPath, result), scope);
        this.#checkSize(output, name);
        this.#assign(state.Assign, { ...scope, input: result }, frame);
        return { output, next };
      }
      case 'Succeed': {
        const effective = this.#inputPath(state, input, scope);
        return { output: this.#outputPath(state, effective, scope), next: undefined };
      }
      case 'Fail': {
        const error =
          state.ErrorPath !== undefined ? this.#failField(state.ErrorPath, 'ErrorPath', scope) : state.Error;
        const cause =
          state.CausePath !== undefined ? this.#failField(state.CausePath, 'CausePath', scope) : state.Cause;
        throw new AslError(error as string | undefined, cause as string | undefined, name);
      }
      case 'Choice': {
        const effective = this.#inputPath(state, input, scope);
        const ruleScope = { ...scope, input: effective };
        const rules = Array.isArray(state.Choices) ? (state.Choices as ChoiceRule[]) : [];
        const matched = rules.find((rule) => evaluateChoiceRule(rule, ruleScope));
        const target = matched ? (matched.Next as string) : (state.Default as string | undefined);
        if (target === undefined) {
          throw new AslError(
            'States.NoChoiceMatched',
            `No Choice Rule matched the input of the state '${name}'.`,
            name,
          );
        }
        const output = this.#outputPath(state, effective, scope);
        this.#assign(matched?.Assign ?? state.Assign, ruleScope, frame);
        return { output, next: target };
      }
      case 'Wait': {
        const effective = this.#inputPath(state, input, scope);
        await this.#wait(state, { ...scope, input: effective }, frame);
        const output = this.#outputPath(state, effective, scope);
        this.#assign(state.Assign, { ...scope, input: effective }, frame);
        return { output, next };
      }
      case 'Task':
      case 'Parallel':
      case 'Map':
        return this.#withRetry(name, state, input, frame, entered, next);
      default:
        throw new RuntimeFault(`The state type '${String(state.Type)}' is not supported.`);
    }
  }

  #failField(path: unknown, field: string, scope: JsonPathScope): unknown {
    if (typeof path !== 'string') throw new RuntimeFault(`${field} must be a JSONPath`);
    let value: unknown;
    if (!path.startsWith('$')) {
      // AWS: ErrorPath and CausePath may also be an intrinsic function that returns a string.
      value = (
        evaluateTemplate({ [`${field}.$`]: path }, { ...scope, random: this.#random }) as Record<string, unknown>
      )[field];
    } else {
      try {
        value = evaluateJsonPath(parseJsonPath(path), scope);
      } catch (error) {
        return pathNotFound(path, field, scope, error as Error);
      }
    }
    if (typeof value !== 'string') {
      throw new RuntimeFault(`The JSONPath '${path}' specified for the field '${field}' must reference a string.`);
    }
    return value;
  }

  async #wait(state: State, scope: JsonPathScope, frame: Frame): Promise<void> {
    let ms: number;
    if (state.Seconds !== undefined) {
      ms = Number(state.Seconds) * 1000;
    } else if (state.SecondsPath !== undefined) {
      const path = String(state.SecondsPath);
      const value = readPath(parseJsonPath(path), 'SecondsPath', scope);
      const seconds = numberValue(value);
      if (seconds === undefined || !Number.isInteger(seconds)) {
        const shown = typeof value === 'string' ? value : stringifyJson(value);
        throw new RuntimeFault(`The SecondsPath parameter cannot be parsed as a long value: ${path} == ${shown}`);
      }
      if (seconds < 0) {
        throw new RuntimeFault(`The SecondsPath parameter references a negative value: ${path} == ${seconds}`);
      }
      ms = seconds * 1000;
    } else {
      let text: unknown = state.Timestamp;
      let path = '';
      if (state.TimestampPath !== undefined) {
        path = String(state.TimestampPath);
        text = readPath(parseJsonPath(path), 'TimestampPath', scope);
      }
      const at = typeof text === 'string' ? parseTimestamp(text) : undefined;
      if (at === undefined) {
        const shown = typeof text === 'string' ? text : stringifyJson(text);
        throw new RuntimeFault(
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${shown}`,
        );
      }
      ms = at - this.#clock.now();
    }
    if (ms > 0) await this.#clock.sleep(ms, frame.signal);
  }

  async #withRetry(
    name: string,
    state: State,
    input: unknown,
    frame: Frame,
    entered: string,
    next: string | undefined,
  ): Promise<StateResult> {
    const retriers = Array.isArray(state.Retry) ? (state.Retry as Record<string, unknown>[]) : [];
    const catchers = Array.isArray(state.Catch) ? (state.Catch as Record<string, unknown>[]) : [];
    const attempts = retriers.map(() => 0);
    let retryCount = 0;
    for (;;) {
      const scope = this.#scope(input, name, entered, frame, retryCount);
      try {
        const effective = this.#inputPath(state, input, scope);
        const parameters =
          state.Parameters !== undefined && state.Type !== 'Map'
            ? evaluateTemplate(state.Parameters, { ...scope, input: effective })
            : effective;
        if (sizeOf(parameters) > MAX_PAYLOAD_BYTES) {
          throw new AslError(
            'States.DataLimitExceeded',
            `The state/task '${name}' has an input with a size exceeding the maximum number of bytes service limit.`,
            name,
          );
        }
        let result: unknown;
        if (state.Type === 'Task') result = await this.#task(name, state, parameters, frame, scope);
        else if (state.Type === 'Parallel') result = await this.#parallel(state, parameters, frame);
        else result = await this.#map(name, state, effective, frame, scope);
        this.#checkSize(result, name);
        if (state.ResultSelector !== undefined) {
          result = evaluateTemplate(state.ResultSelector, { ...scope, input: result });
        }
        const output = this.#outputPath(state, applyResultPath(input, state.ResultPath, result), scope);
        this.#checkSize(output, name);
        this.#assign(state.Assign, { ...scope, input: result }, frame);
        return { output, next };
      } catch (caught) {
        if (caught instanceof ExecutionTimeout) throw caught;
        if (frame.signal.aborted && caught === frame.signal.reason) throw caught;
        if (caught instanceof RuntimeFault || !(caught instanceof AslError)) throw caught;
        const error = caught;
        const retrierIndex = retriers.findIndex((retrier) => matchesError(retrier.ErrorEquals, error.error));
        const retrier = retriers[retrierIndex];
        if (retrier) {
          const max = retrier.MaxAttempts === undefined ? 3 : Number(retrier.MaxAttempts);
          const attempt = attempts[retrierIndex] as number;
          if (attempt < max) {
            attempts[retrierIndex] = attempt + 1;
            retryCount += 1;
            await this.#clock.sleep(this.#retryDelay(retrier, attempt), frame.signal);
            continue;
          }
        }
        const catcher = catchers.find((candidate) => matchesError(candidate.ErrorEquals, error.error));
        if (!catcher) throw error;
        const errorValue = errorOutput(error);
        const output = applyResultPath(input, catcher.ResultPath, errorValue);
        this.#checkSize(output, name);
        this.#assign(catcher.Assign, { ...scope, input: errorValue }, frame);
        return { output, next: catcher.Next as string };
      }
    }
  }

  #retryDelay(retrier: Record<string, unknown>, attempt: number): number {
    if (this.#options.retryDelayMs !== undefined) return this.#options.retryDelayMs;
    const interval = retrier.IntervalSeconds === undefined ? 1 : Number(retrier.IntervalSeconds);
    const backoff = retrier.BackoffRate === undefined ? 2 : Number(retrier.BackoffRate);
    let seconds = interval * backoff ** attempt;
    if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, Number(retrier.MaxDelaySeconds));
    if (retrier.JitterStrategy === 'FULL') seconds *= this.#random();
    return seconds * 1000;
  }

  async #task(name: string, state: State, parameters: unknown, frame: Frame, scope: JsonPathScope): Promise<unknown> {
    this.event(); // TaskScheduled
    this.event(); // TaskStarted
    const invoke = this.#options.invokeTask;
    const resource = String(state.Resource);
    if (!invoke) throw new RuntimeFault(`The emulator does not serve the resource '${resource}'.`);
    let seconds = DEFAULT_TASK_TIMEOUT_SECONDS;
    if (state.TimeoutSeconds !== undefined) seconds = Number(state.TimeoutSeconds);
    else if (state.TimeoutSecondsPath !== undefined) {
      const path = String(state.TimeoutSecondsPath);
      seconds = integerFromPath(readPath(parseJsonPath(path), 'TimeoutSecondsPath', scope), 'TimeoutSecondsPath', path);
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(frame.signal.reason);
    frame.signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      // Node's timers hold at most 2^31-1 ms; longer timeouts never fire within an Express execution anyway.
      if (seconds * 1000 < 2 ** 31 - 1) {
        timer = setTimeout(() => {
          const error = new AslError('States.Timeout', undefined, name);
          controller.abort(error);
          reject(error);
        }, seconds * 1000);
      }
    });
    try {
      const work = invoke({ stateName: name, state, resource, parameters, signal: controller.signal });
      const result = await Promise.race([work, timedOut]);
      this.event(); // TaskSucceeded
      return result === undefined ? null : result;
    } catch (error) {
      this.event(); // TaskFailed
      if (error instanceof AslError || error instanceof ExecutionTimeout) throw error;
      if (frame.signal.aborted && error === frame.signal.reason) throw error;
      const failure = taskError(error, name);
      // A run-time error of the task's own evaluation names the state, as the service's causes do.
      if (failure.error === 'States.Runtime') throw new RuntimeFault(failure.cause ?? '');
      throw failure;
    } finally {
      clearTimeout(timer);
      frame.signal.removeEventListener('abort', onAbort);
    }
  }

  async #parallel(state: State, input: unknown, frame: Frame): Promise<unknown[]> {
    this.event(); // ParallelStateStarted
    const branches = Array.isArray(state.Branches) ? (state.Branches as Machine[]) : [];
    const controller = new AbortController();
    const onAbort = () => controller.abort(frame.signal.reason);
    frame.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const results = await Promise.all(
        branches.map((branch) =>
          this.runMachine(branch, input, { variables: { ...frame.variables }, signal: controller.signal }).catch(
            (error) => {
              if (!controller.signal.aborted) controller.abort(STOPPED);
              throw error;
            },
          ),
        ),
      );
      this.event(); // ParallelStateSucceeded
      return results;
    } finally {
      frame.signal.removeEventListener('abort', onAbort);
    }
  }

  async #map(name: string, state: State, effective: unknown, frame: Frame, scope: Scope): Promise<unknown[]> {
    const itemsPath = state.ItemsPath === undefined ? '$' : String(state.ItemsPath);
    const items =
      itemsPath === '$' ? effective : readPath(parseJsonPath(itemsPath), 'ItemsPath', { ...scope, input: effective });
    if (!Array.isArray(items)) {
      throw new RuntimeFault(
        `Invalid path '${itemsPath}': The value of the ItemsPath field must be an array: ${stringifyJson(items)}`,
      );
    }
    let concurrency = state.MaxConcurrency === undefined ? 0 : Number(state.MaxConcurrency);
    if (state.MaxConcurrencyPath !== undefined) {
      const path = String(state.MaxConcurrencyPath);
      concurrency = integerFromPath(
        readPath(parseJsonPath(path), 'MaxConcurrencyPath', scope),
        'MaxConcurrencyPath',
        path,
      );
    }
    if (concurrency < 0) {
      // Recorded on AWS: such an execution never ends. The emulator says so instead of hanging.
      throw new RuntimeFault(
        `The emulator cannot run a Map with a negative MaxConcurrency (${concurrency}): on AWS such an execution does not end.`,
      );
    }
    let toleratedCount = state.ToleratedFailureCount === undefined ? 0 : Number(state.ToleratedFailureCount);
    if (state.ToleratedFailureCountPath !== undefined) {
      const path = String(state.ToleratedFailureCountPath);
      toleratedCount = integerFromPath(
        readPath(parseJsonPath(path), 'ToleratedFailureCountPath', scope),
        'ToleratedFailureCountPath',
        path,
      );
      if (toleratedCount < 0) throw new RuntimeFault('ToleratedFailureCount cannot be negative.');
    }
    let toleratedPercentage =
      state.ToleratedFailurePercentage === undefined ? 0 : Number(state.ToleratedFailurePercentage);
    if (state.ToleratedFailurePercentagePath !== undefined) {
      const path = String(state.ToleratedFailurePercentagePath);
      const value = readPath(parseJsonPath(path), 'ToleratedFailurePercentagePath', scope);
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : numberValue(value);
      if (number === undefined || Number.isNaN(number)) {
        throw new RuntimeFault(
          `The ToleratedFailurePercentagePath field refers to value "${typeof value === 'string' ? value : stringifyJson(value)}" which is not a valid float: ${path}`,
        );
      }
      toleratedPercentage = number;
      if (toleratedPercentage < 0 || toleratedPercentage > 100) {
        throw new RuntimeFault('ToleratedFailurePercentage must be between 0 and 100.');
      }
    }
    const tolerates =
      state.ToleratedFailureCount !== undefined ||
      state.ToleratedFailureCountPath !== undefined ||
      state.ToleratedFailurePercentage !== undefined ||
      state.ToleratedFailurePercentagePath !== undefined;
    if (state.ItemReader !== undefined || state.ResultWriter !== undefined) {
      throw new RuntimeFault(
        'The emulator does not emulate a Map ItemReader or ResultWriter (they read and write S3).',
      );
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as Machine | undefined;
    if (!processor) throw new RuntimeFault('The Map state has no ItemProcessor.');
    const selector = state.ItemSelector ?? state.Parameters;
    this.event(); // MapStateStarted
    const controller = new AbortController();
    const onAbort = () => controller.abort(frame.signal.reason);
    frame.signal.addEventListener('abort', onAbort, { once: true });
    const results: unknown[] = new Array(items.length);
    let failures = 0;
    let cursor = 0;
    const worker = async (): Promise<void> => {
      while (cursor < items.length) {
        const index = cursor++;
        const mapItem = { Index: index, Value: items[index] };
        const itemFrame: Frame = { variables: { ...frame.variables }, mapItem, signal: controller.signal };
        this.event(); // MapIterationStarted
        const itemInput =
          selector !== undefined
            ? evaluateTemplate(selector, {
                ...scope,
                input: effective,
                context: { ...scope.context, Map: { Item: mapItem } },
              })
            : items[index];
        try {
          results[index] = await this.runMachine(processor, itemInput, itemFrame);
          this.event(); // MapIterationSucceeded
        } catch (error) {
          this.event(); // MapIterationFailed
          if (!tolerates || !(error instanceof AslError) || isTerminalError(error.error)) throw error;
          failures += 1;
          results[index] = null;
          const overCount = failures > toleratedCount;
          const overPercentage = (failures / items.length) * 100 > toleratedPercentage;
          if (overCount && overPercentage) {
            throw new AslError(
              'States.ExceedToleratedFailureThreshold',
              'The specified tolerated failure threshold was exceeded',
              name,
            );
          }
        }
      }
    };
    const workers = Math.max(1, concurrency <= 0 ? items.length : Math.min(concurrency, items.length));
    try {
      await Promise.all(
        Array.from({ length: items.length === 0 ? 0 : workers }, () =>
          worker().catch((error) => {
            if (!controller.signal.aborted) controller.abort(STOPPED);
            throw error;
          }),
        ),
      );
    } finally {
      frame.signal.removeEventListener('abort', onAbort);
    }
    this.event(); // MapStateSucceeded
    return results;
  }
}

/** A sibling branch or iteration failed, or the execution ended: the others stop. */
class BranchStopped {}
const STOPPED = new BranchStopped();

/** A task's failure as an ASL error: its `name` is the error, its `cause` (or message) the cause. */
function taskError(error: unknown, stateName: string): AslError {
  if (error instanceof Error) {
    const cause =
      typeof (error as { cause?: unknown }).cause === 'string' ? (error as { cause: string }).cause : error.message;
    if (error.name === 'States.Runtime') return new AslError('States.Runtime', cause, stateName);
    return new AslError(error.name || 'States.TaskFailed', cause, stateName);
  }
  return new AslError('States.TaskFailed', String(error), stateName);
}

/**
 * Runs a state machine definition (JSONPath query language) on an input, as Step Functions runs an Express execution:
 * Pass, Task, Choice, Wait, Succeed, Fail, Parallel and Map states, input and output processing, Retry and Catch,
 * variables, the context object, the 256 KiB payload quota and the execution's time limit. Never throws: failures
 * are outcomes.
 * @example
 * const outcome = await runStateMachine(
 *   { StartAt: 'A', States: { A: { Type: 'Pass', Result: { ok: true }, End: true } } },
 *   {},
 * );
 * // { status: 'SUCCEEDED', output: '{"ok":true}' }
 */
export async function runStateMachine(
  definition: Record<string, unknown>,
  input: unknown,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const clock = options.clock ?? realClock();
  const declared = typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds : EXPRESS_MAX_SECONDS;
  const timeoutSeconds = Math.min(declared, options.timeoutSeconds ?? EXPRESS_MAX_SECONDS, EXPRESS_MAX_SECONDS);
  const start = clock.now();
  const controller = new AbortController();
  const timeout = new ExecutionTimeout(`Execution timed out after ${timeoutSeconds} seconds.`);
  const deadline = start + timeoutSeconds * 1000;
  // The deadline is on the execution's clock: a fast-forwarded Wait past it times the execution out at once.
  const timedClock: Clock = {
    now: () => clock.now(),
    sleep: async (ms, signal) => {
      const left = deadline - clock.now();
      if (ms >= left) {
        await clock.sleep(Math.max(0, left), signal);
        controller.abort(timeout);
        throw timeout;
      }
      await clock.sleep(ms, signal);
    },
  };
  const timer = setTimeout(() => controller.abort(timeout), Math.max(0, deadline - clock.now()));
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const run = new Execution({ ...options, clock: timedClock }, input, new Date(start).toISOString());
  try {
    if (definition.QueryLanguage === 'JSONata') {
      return {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: 'The emulator runs the JSONPath query language only: JSONata state machines are not emulated.',
        stateName: undefined,
      };
    }
    if (sizeOf(input) > MAX_PAYLOAD_BYTES) {
      return {
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: 'The execution input exceeds the maximum number of bytes service limit.',
        stateName: undefined,
      };
    }
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    // The execution's end aborts the controller too: that rejection has no one to tell.
    aborted.catch(() => {});
    const output = await Promise.race([
      run.runMachine(definition as Machine, input, { variables: {}, signal: controller.signal }),
      aborted,
    ]);
    return { status: 'SUCCEEDED', output: stringifyJson(output) };
  } catch (error) {
    if (error === timeout || error instanceof ExecutionTimeout) {
      return { status: 'TIMED_OUT', error: 'States.Timeout', cause: timeout.message };
    }
    if (error instanceof AslError) {
      return { status: 'FAILED', error: error.error, cause: error.cause, stateName: error.stateName };
    }
    return {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: error instanceof Error ? error.message : String(error),
      stateName: undefined,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted) controller.abort(STOPPED);
  }
}

/**
 * Parses an execution input or a definition as Step Functions does (numbers keep their Java form).
 * @example
 * parseAslJson('{"a": 1.0}');
 */
export function parseAslJson(text: string): unknown {
  return parseJson(text);
}
