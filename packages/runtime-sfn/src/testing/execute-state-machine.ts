import {
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions as LocalRunOptions,
  StateMachine as LocalStateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { EmulatorServices } from './emulator-services';
import { stepIdOf, TaskError, taskResourceFor } from './task-resources';

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
  /** Context object fields (`Execution.Id`, `StateMachine.Name`, ...). */
  context?: Record<string, unknown>;
}

type AnyState = Record<string, unknown> & { Type?: string };
type Machine = { States?: Record<string, AnyState> };

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
    if (task) taskResourceLocalHandlers[name] = task as (input: unknown) => Promise<never>;
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
  let machine: LocalStateMachine;
  try {
    machine = new LocalStateMachine({ ...definition, TimeoutSeconds: timeoutSeconds } as StateMachineDefinition, {
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
    if (cause instanceof TaskError || (cause instanceof Error && /^[\w-]+\.[\w.-]+$/.test(cause.name))) {
      return { status: 'FAILED', error: cause.name, cause: cause.message };
    }
    if (cause instanceof Error && cause.name !== 'Error' && cause.name !== 'RuntimeError') {
      return { status: 'FAILED', error: cause.name, cause: cause.message };
    }
    return { status: 'FAILED', error: 'States.Runtime', cause: messageOf(cause) };
  } finally {
    controller.abort();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
