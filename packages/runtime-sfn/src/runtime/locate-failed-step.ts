import type { Chain, Step } from '@stepwise/core';
import type { AslState, AslStateMachine } from '../compiler/asl-types';
import { compileChain } from '../compiler/compile-chain';

/** Where a failed execution failed, as the SFN runtime reports it. @internal */
export interface FailedStep {
  /** The innermost step that failed; absent when the failure is no step's (the chain output) or cannot be told. */
  stepId?: string;
  /** The original cause: the Fail state's envelope taken off. */
  cause?: string;
}

/** The cause a compiled machine's Fail state writes for a step (decision 0005). */
interface FailureEnvelope {
  stepwiseStepId: string;
  error?: { Error?: unknown; Cause?: unknown };
}

const ENVELOPE_PREFIX = /^\{"stepwiseStepId":"([A-Za-z][A-Za-z0-9_]*)"/;
/**
 * Step Functions' causes of uncatchable errors name the state: `An error occurred while executing the state 'X'
 * (entered at the event id #4). ...` (`States.Runtime`), `The state/task 'X' returned a result with a size exceeding
 * the maximum number of bytes service limit.` (`States.DataLimitExceeded`).
 */
const STATE_IN_CAUSE = /(?:while executing the state|The state\/task) '((?:[^'\\]|\\.)+)'/;

const machines = new WeakMap<Chain, AslStateMachine | null>();

/** The chain's compiled machine (names and comments do not depend on compile options), once per chain. */
function machineOf(chain: Chain): AslStateMachine | undefined {
  let machine = machines.get(chain);
  if (machine === undefined) {
    try {
      machine = compileChain(chain);
    } catch {
      machine = null;
    }
    machines.set(chain, machine);
  }
  return machine ?? undefined;
}

/** The state of this name anywhere in a machine, Parallel branches and Map processors included. */
function findState(states: Record<string, AslState>, name: string): AslState | undefined {
  for (const [stateName, state] of Object.entries(states)) {
    if (stateName === name) return state;
    const nested = [
      ...((state.Branches as unknown as AslStateMachine[] | undefined) ?? []),
      ...(state.ItemProcessor ? [state.ItemProcessor as unknown as AslStateMachine] : []),
    ];
    for (const sub of nested) {
      const found = findState(sub.States, name);
      if (found) return found;
    }
  }
  return undefined;
}

function allIds(steps: readonly Step[], out = new Set<string>()): Set<string> {
  for (const step of steps) {
    out.add(step.id);
    if (step.type !== 'respond' && step.policy?.catch) allIds(step.policy.catch.fallback, out);
    switch (step.type) {
      case 'parallel':
        for (const branch of Object.values(step.branches)) allIds(branch, out);
        break;
      case 'choose':
        for (const item of step.cases) allIds(item.steps, out);
        allIds(step.otherwise ?? [], out);
        break;
      case 'map':
        allIds(step.steps, out);
        break;
      case 'split':
        for (const variant of Object.values(step.variants)) allIds(variant.steps, out);
        break;
      default:
        break;
    }
  }
  return out;
}

/** The envelope's step id and original cause, if the cause is one (a cut-off one still names its step). */
function readEnvelope(cause: string, ids: Set<string>): FailedStep | undefined {
  const marked = ENVELOPE_PREFIX.exec(cause)?.[1];
  if (marked === undefined || !ids.has(marked)) return undefined;
  try {
    const envelope = JSON.parse(cause) as FailureEnvelope;
    const inner = envelope.error?.Cause;
    return typeof inner === 'string' ? { stepId: marked, cause: inner } : { stepId: marked };
  } catch {
    return { stepId: marked, cause };
  }
}

/**
 * Where an execution of the chain's compiled machine failed, from what StartSyncExecution reports (an ASL error name
 * and a cause), as decision 0005 lays it out:
 * - a catchable error of a step reaches the top through that step's Fail state, whose cause is the envelope
 *   `{"stepwiseStepId":"<id>","error":{"Error":...,"Cause":...}}`: the step, and the original cause;
 * - an uncatchable one (`States.Runtime`, `States.DataLimitExceeded`) names its state in Step Functions' cause: the
 *   step whose `step:<id>` comment that state carries, or none for the chain output's states;
 * - otherwise (a machine compiled before decision 0005) the one step of the chain that can raise that error, if
 *   there is exactly one, preferring steps outside `catch` fallbacks.
 * @internal
 */
export function locateFailedStep(chain: Chain, error: string, cause: string | undefined): FailedStep {
  const ids = allIds(chain.steps);
  const keep = cause === undefined ? {} : { cause };
  if (cause !== undefined) {
    const envelope = readEnvelope(cause, ids);
    if (envelope) return envelope;
    const stateName = STATE_IN_CAUSE.exec(cause)?.[1];
    const machine = stateName === undefined ? undefined : machineOf(chain);
    const state = machine && stateName !== undefined ? findState(machine.States, stateName) : undefined;
    if (state) {
      const stepId = /^step:([A-Za-z][A-Za-z0-9_]*)$/.exec(String(state.Comment ?? ''))?.[1];
      return stepId !== undefined && ids.has(stepId) ? { stepId, ...keep } : keep;
    }
  }
  const guessed = guessStep(chain.steps, error);
  return guessed === undefined ? keep : { stepId: guessed, ...keep };
}

interface Located {
  step: Step;
  /** Inside a `catch` fallback. */
  inFallback: boolean;
}

function located(steps: readonly Step[], inFallback: boolean, out: Located[]): Located[] {
  for (const step of steps) {
    out.push({ step, inFallback });
    if (step.type !== 'respond' && step.policy?.catch) located(step.policy.catch.fallback, true, out);
    switch (step.type) {
      case 'parallel':
        for (const branch of Object.values(step.branches)) located(branch, inFallback, out);
        break;
      case 'choose':
        for (const item of step.cases) located(item.steps, inFallback, out);
        located(step.otherwise ?? [], inFallback, out);
        break;
      case 'map':
        located(step.steps, inFallback, out);
        break;
      case 'split':
        for (const variant of Object.values(step.variants)) located(variant.steps, inFallback, out);
        break;
      default:
        break;
    }
  }
  return out;
}

const CONTAINERS = new Set(['parallel', 'choose', 'map', 'split']);

/** Whether a step can raise an ASL error of this name by itself. */
function canRaise(step: Step, error: string): boolean {
  if (step.type === 'respond') return false;
  if (error === 'States.Timeout') return step.policy?.timeoutSeconds !== undefined;
  if (error.startsWith('Bedrock.')) return step.type === 'invoke';
  if (error.startsWith('BedrockAgentRuntime.')) return step.type === 'retrieve';
  if (error === 'States.Runtime') return !CONTAINERS.has(step.type);
  if (error.startsWith('States.')) return true;
  return step.type === 'task';
}

function guessStep(steps: readonly Step[], error: string): string | undefined {
  const candidates = located(steps, false, []).filter(({ step }) => canRaise(step, error));
  const main = candidates.filter((candidate) => !candidate.inFallback);
  if (main.length === 1) return main[0]?.step.id;
  if (main.length === 0 && candidates.length === 1) return candidates[0]?.step.id;
  return undefined;
}
