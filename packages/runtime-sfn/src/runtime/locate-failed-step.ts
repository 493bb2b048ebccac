import type { Step } from '@stepwise/core';

interface Located {
  step: Step;
  /** Inside a `catch` fallback. */
  inFallback: boolean;
}

function allSteps(steps: readonly Step[], inFallback: boolean, out: Located[]): Located[] {
  for (const step of steps) {
    out.push({ step, inFallback });
    if (step.type !== 'respond' && step.policy?.catch) allSteps(step.policy.catch.fallback, true, out);
    switch (step.type) {
      case 'parallel':
        for (const branch of Object.values(step.branches)) allSteps(branch, inFallback, out);
        break;
      case 'choose':
        for (const item of step.cases) allSteps(item.steps, inFallback, out);
        allSteps(step.otherwise ?? [], inFallback, out);
        break;
      case 'map':
        allSteps(step.steps, inFallback, out);
        break;
      case 'split':
        for (const variant of Object.values(step.variants)) allSteps(variant.steps, inFallback, out);
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

/**
 * The id of the step an execution failed in, from what StartSyncExecution reports (an ASL error name and a cause):
 * a `step:<id>` marker in the cause when there is one; the state a run-time error names
 * (`An error occurred while executing the state 'Greeting' ...`), through `stepOfState`; else the one step of the
 * chain that can raise that error (a `Bedrock.*` error comes from an `invoke`, a handler's error from a `task`,
 * `States.Timeout` from a step with a timeout...), preferring steps outside `catch` fallbacks. `undefined` when it
 * cannot tell.
 * @internal
 */
export function locateFailedStep(
  steps: readonly Step[],
  error: string,
  cause: string | undefined,
  stepOfState?: (stateName: string) => string | undefined,
): string | undefined {
  const all = allSteps(steps, false, []);
  const marked = cause === undefined ? undefined : /\bstep:([A-Za-z][A-Za-z0-9_]*)/.exec(cause)?.[1];
  if (marked !== undefined && all.some(({ step }) => step.id === marked)) return marked;
  const state = cause === undefined ? undefined : /while executing the state '([^']+)'/.exec(cause)?.[1];
  const fromState = state === undefined ? undefined : stepOfState?.(state);
  if (fromState !== undefined && all.some(({ step }) => step.id === fromState)) return fromState;
  const candidates = all.filter(({ step }) => canRaise(step, error));
  const main = candidates.filter((candidate) => !candidate.inFallback);
  if (main.length === 1) return main[0]?.step.id;
  if (main.length === 0 && candidates.length === 1) return candidates[0]?.step.id;
  return undefined;
}
