import { fastForwardClock, realClock } from './asl/clock';
import { type InvokeTask, MAX_PAYLOAD_BYTES, runStateMachine } from './asl/interpreter';
import { parseJson, plainJson } from './asl/json/java-json';
import type { EmulatorServices } from './emulator-services';
import { stepIdOf, taskResourceFor } from './task-resources';

export { MAX_PAYLOAD_BYTES };

/**
 * How an execution ended, in StartSyncExecution's terms. `error` and `cause` are absent where Step Functions leaves
 * them out (a Fail state without Error or Cause).
 * @internal
 */
export type ExecutionOutcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error?: string; cause?: string }
  | { status: 'TIMED_OUT'; error: string; cause: string };

/** Options of one execution. @internal */
export interface ExecuteOptions {
  /** Overrides every `Retry` wait, in milliseconds (tests). Default: the waits the definition asks for. */
  retryDelayMs?: number | undefined;
  /** Caps the execution's duration, in seconds. Default and maximum: 300, as Express workflows. */
  timeoutSeconds?: number | undefined;
  /** Source of `States.MathRandom` draws, in [0, 1). Default: `Math.random`. */
  random?: (() => number) | undefined;
  /**
   * Wait states and Retry intervals move the execution's clock on at once instead of sleeping (tests). The clock
   * still counts toward the execution's time limit: waiting past it times the execution out, as on AWS.
   */
  fastForwardWaits?: boolean | undefined;
  /** Context object fields (`Execution.Id`, `StateMachine.Name`, ...). */
  context?: Record<string, unknown>;
  /**
   * The input as sent, when `input` was parsed from text: numbers then keep their Java form (`1.0`, long integers),
   * as Step Functions reads them.
   */
  inputText?: string | undefined;
  /** The definition as sent, for the same reason. */
  definitionText?: string | undefined;
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

const unsupportedByDefinition = new WeakMap<object, string | null>();

/** The first Task state whose resource the emulator does not serve, as `Name (resource)`. */
function unsupportedTask(definition: Record<string, unknown>, services: EmulatorServices): string | undefined {
  const known = unsupportedByDefinition.get(definition);
  if (known !== undefined) return known ?? undefined;
  let unsupported: string | undefined;
  const probe = new AbortController().signal;
  forEachState(definition as Machine, (name, state) => {
    if (state.Type !== 'Task' || unsupported !== undefined) return;
    const resource = String(state.Resource);
    if (!taskResourceFor(resource, undefined, services, probe)) unsupported = `${name} (${resource})`;
  });
  unsupportedByDefinition.set(definition, unsupported ?? null);
  return unsupported;
}

const parsedDefinitions = new Map<string, Record<string, unknown>>();
const PARSED_MAX = 200;

/** The definition parsed from its text as Step Functions reads it, cached by text. */
function definitionFrom(text: string): Record<string, unknown> {
  let parsed = parsedDefinitions.get(text);
  if (!parsed) {
    parsed = parseJson(text) as Record<string, unknown>;
    if (parsedDefinitions.size >= PARSED_MAX) parsedDefinitions.delete(parsedDefinitions.keys().next().value as string);
    parsedDefinitions.set(text, parsed);
  }
  return parsed;
}

/**
 * Runs a state machine definition on the emulator's own ASL interpreter (`src/asl/`), with every Task state routed by
 * its `Resource` (and its `"Comment": "step:<id>"`) to the emulator's fakes. Never throws: failures are outcomes.
 * @internal
 * @example
 * const outcome = await executeStateMachine(definition, { input: { question: 'Why?' } }, services, { retryDelayMs: 0 });
 */
export async function executeStateMachine(
  definition: Record<string, unknown>,
  input: unknown,
  services: EmulatorServices,
  options: ExecuteOptions = {},
): Promise<ExecutionOutcome> {
  let machine = definition;
  let executionInput = input;
  try {
    if (options.definitionText !== undefined) machine = definitionFrom(options.definitionText);
    if (options.inputText !== undefined) executionInput = parseJson(options.inputText);
  } catch (error) {
    return { status: 'FAILED', error: 'States.Runtime', cause: (error as Error).message };
  }
  const unsupported = unsupportedTask(machine, services);
  if (unsupported !== undefined) {
    return {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `The emulator does not serve the resource of Task state ${unsupported}.`,
    };
  }
  const invokeTask: InvokeTask = async ({ state, resource, parameters, signal }) => {
    const task = taskResourceFor(resource, stepIdOf(state.Comment), services, signal);
    if (!task)
      throw Object.assign(new Error(`The emulator does not serve the resource ${resource}.`), {
        name: 'States.Runtime',
      });
    return task(plainJson(parameters));
  };
  const context = options.context as
    | { Execution?: Record<string, unknown>; StateMachine?: Record<string, unknown> }
    | undefined;
  const outcome = await runStateMachine(machine, executionInput, {
    invokeTask,
    context,
    retryDelayMs: options.retryDelayMs,
    random: options.random,
    timeoutSeconds: options.timeoutSeconds,
    clock: options.fastForwardWaits ? fastForwardClock() : realClock(),
  });
  if (outcome.status !== 'FAILED') return outcome;
  return {
    status: 'FAILED',
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
  };
}
