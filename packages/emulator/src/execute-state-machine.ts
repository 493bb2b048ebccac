import {
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions as LocalRunOptions,
  StateMachine as LocalStateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { EmulatorServices } from './emulator-services';
import { stepIdOf, TaskError, type TaskResource, taskResourceFor } from './task-resources';

/** An event of the interpreter's execution log. */
type EventLog = ReturnType<LocalStateMachine['run']>['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

/** Express workflows run at most five minutes. */
const EXPRESS_MAX_SECONDS = 300;
/** Step Functions caps payloads at 256 KiB. */
export const MAX_PAYLOAD_BYTES = 262_144;

/** How an execution ended, in StartSyncExecution's terms. @internal */
export type ExecutionOutcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error: string; cause: string }
  | { status: 'TIMED_OUT'; error: string; cause: string };

/** Options of one execution. @internal */
export interface ExecuteOptions {
  /** Overrides every `Retry` wait, in milliseconds (tests). Default: the waits the definition asks for. */
  retryDelayMs?: number | undefined;
  /** Caps the execution's duration, in seconds. Default and maximum: 300, as Express workflows. */
  timeoutSeconds?: number | undefined;
  /** Source of `States.MathRandom` draws, in [0, 1). Default: the interpreter's own. */
  random?: (() => number) | undefined;
  /** Context object fields (`Execution.Id`, `StateMachine.Name`, ...). */
  context?: Record<string, unknown>;
}

type AnyState = Record<string, unknown> & { Type?: string };
type Machine = { States?: Record<string, AnyState> };

const MATH_RANDOM = /^States\.MathRandom\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/;

/** The definition with every `"x.$": "States.MathRandom(min, max)"` field replaced by a draw from `random`. */
function withDraws(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => withDraws(item, random));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const match = key.endsWith('.$') && typeof item === 'string' ? MATH_RANDOM.exec(item) : null;
    if (match) {
      const min = Number(match[1]);
      const max = Number(match[2]);
      out[key.slice(0, -2)] = Math.min(max, min + Math.floor(random() * (max - min + 1)));
    } else {
      out[key] = withDraws(item, random);
    }
  }
  return out;
}

/**
 * A task whose result is first run through its state's `ResultSelector` on its own, when that selector parses JSON
 * (`States.StringToJson`): a parse failure there is a run-time error of the state machine, `States.Runtime`, which
 * no Retry or Catch of the state handles. The interpreter would raise a plain `SyntaxError` that its own Retry and
 * Catch treat as a task failure.
 */
function checkingSelector(task: TaskResource, selector: unknown): TaskResource {
  if (selector === undefined || !JSON.stringify(selector).includes('States.StringToJson')) return task;
  const probe = new LocalStateMachine(
    {
      StartAt: 'Select',
      States: { Select: { Type: 'Pass', Parameters: selector, End: true } },
    } as StateMachineDefinition,
    { validationOptions: { noValidate: true } },
  );
  return async (input) => {
    const result = await task(input);
    try {
      await probe.run(result as never).result;
    } catch (error) {
      const cause = error instanceof ExecutionError ? error.cause : error;
      if (!(cause instanceof Error && 'isCatchable' in cause)) {
        throw new TaskError('States.Runtime', `The ResultSelector could not be evaluated: ${messageOf(cause)}`);
      }
    }
    return result;
  };
}

/** Calls `visit` for every state of a machine, nested Parallel branches and Map processors included. */
function forEachState(machine: Machine, visit: (name: string, state: AnyState) => void): void {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    visit(name, state);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches as Machine[]) forEachState(branch, visit);
    }
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as Machine | undefined;
      if (processor) forEachState(processor, visit);
    }
  }
}

/**
 * Runs a state machine definition on `aws-local-stepfunctions`, with every Task state routed by its `Resource` (and
 * its `"Comment": "step:<id>"`) to the emulator's fakes. Never throws: failures are outcomes.
 * @internal
 */
export async function executeStateMachine(
  definition: Record<string, unknown>,
  input: unknown,
  services: EmulatorServices,
  options: ExecuteOptions = {},
): Promise<ExecutionOutcome> {
  const controller = new AbortController();
  const taskResourceLocalHandlers: NonNullable<LocalRunOptions['overrides']>['taskResourceLocalHandlers'] = {};
  const retryIntervalOverrides: Record<string, number> = {};
  let unsupported: string | undefined;
  forEachState(definition as Machine, (name, state) => {
    if (options.retryDelayMs !== undefined && Array.isArray(state.Retry))
      retryIntervalOverrides[name] = options.retryDelayMs;
    if (state.Type !== 'Task') return;
    const resource = String(state.Resource);
    const task = taskResourceFor(resource, stepIdOf(state.Comment), services, controller.signal);
    if (task)
      taskResourceLocalHandlers[name] = checkingSelector(task, state.ResultSelector) as (
        input: unknown,
      ) => Promise<never>;
    else unsupported ??= `${name} (${resource})`;
  });
  if (unsupported !== undefined) {
    return {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `The emulator does not serve the resource of Task state ${unsupported}.`,
    };
  }
  const declared = typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds : EXPRESS_MAX_SECONDS;
  const timeoutSeconds = Math.min(declared, options.timeoutSeconds ?? EXPRESS_MAX_SECONDS, EXPRESS_MAX_SECONDS);
  const source = options.random ? (withDraws(definition, options.random) as Record<string, unknown>) : definition;
  let machine: LocalStateMachine;
  try {
    machine = new LocalStateMachine({ ...source, TimeoutSeconds: timeoutSeconds } as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
  } catch (error) {
    return { status: 'FAILED', error: 'States.Runtime', cause: messageOf(error) };
  }
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers, retryIntervalOverrides },
    ...(options.context ? { context: options.context } : {}),
  });
  try {
    const output = JSON.stringify((await execution.result) ?? null);
    if (Buffer.byteLength(output) > MAX_PAYLOAD_BYTES) {
      return {
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: `The state/task returned a result with a size exceeding the maximum number of bytes service limit (${MAX_PAYLOAD_BYTES}).`,
      };
    }
    return { status: 'SUCCEEDED', output };
  } catch (error) {
    if (error instanceof ExecutionTimeoutError) {
      return {
        status: 'TIMED_OUT',
        error: 'States.Timeout',
        cause: `Execution timed out after ${timeoutSeconds} seconds.`,
      };
    }
    const cause = error instanceof ExecutionError ? error.cause : error;
    // Task failures carry their ASL names; so do the interpreter's own errors (States.Runtime, States.Timeout, a Fail
    // state's Error), which have `isCatchable`. Anything else thrown while evaluating paths and intrinsic functions
    // (a JSON.parse of States.StringToJson) is a run-time error of the state machine.
    const named = cause instanceof TaskError || (cause instanceof Error && 'isCatchable' in cause);
    const name = named ? (cause as Error).name : 'States.Runtime';
    if (name !== 'States.Runtime') return { status: 'FAILED', error: name, cause: (cause as Error).message };
    // Step Functions names the state in the cause of a run-time error.
    const where = failedState(await drain(execution.eventLogs));
    const prefix = where
      ? `An error occurred while executing the state '${where.name}' (entered at the event id #${where.eventId}). `
      : '';
    return { status: 'FAILED', error: 'States.Runtime', cause: `${prefix}${messageOf(cause)}` };
  } finally {
    controller.abort();
  }
}

/** The events an execution has logged so far (the log stays open after a failure: stop when nothing is queued). */
async function drain(logs: AsyncGenerator<EventLog>): Promise<EventLog[]> {
  const events: EventLog[] = [];
  for (;;) {
    const next = await Promise.race([
      logs.next(),
      new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))),
    ]);
    if (!next || next.done) return events;
    events.push(next.value);
  }
}

/** The state a run-time error came from: the innermost state that failed last, and the id of its entry event. */
function failedState(events: EventLog[]): { name: string; eventId: number } | undefined {
  const failures = events.filter((event) => event.type === 'StateFailed');
  const isContainer = (event: EventLog) =>
    event.type === 'StateFailed' && ['Parallel', 'Map'].includes(event.state.type);
  const failed = failures.findLast((event) => !isContainer(event)) ?? failures.at(-1);
  if (failed?.type !== 'StateFailed') return undefined;
  const name = failed.state.name;
  const entered = events.findLastIndex((event) => event.type === 'StateEntered' && event.state.name === name);
  return { name, eventId: entered + 1 };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
