import type { Step } from '@stepwise/core';

/**
 * Why a step's location holds `{ output, usage }` instead of its bare output:
 * - `caught`: the step has a `catch` and it or its fallback calls a model; `usage` is a usage record that holds the
 *   step's own entry (under its id) when it succeeded, or the fallback's entries when the catch fired;
 * - `own`: a `parallel`, `map`, `choose` or `split` whose model calls would otherwise be lost; `usage` is the step's
 *   own entry.
 * @internal
 */
export type WrapKind = 'caught' | 'own';

/**
 * What a Parallel branch or Map iteration returns:
 * - `plain`: its last step's output (no model call inside);
 * - `bare`: its last step's output, an `invoke` without catch and the only model call, whose output shows its tokens;
 * - `tail`: its last step's wrapped location `{ output, usage: <entry> }`, that step being the only one that calls
 *   a model;
 * - `record`: `{ output, usage: <record> }`, built by its last `transform` or unwrapping Pass, or one more Pass.
 * @internal
 */
export type SubMachineKind = 'plain' | 'bare' | 'tail' | 'record';

/**
 * Where the compiled machine keeps token usage, decided once per chain so that the compiler and the SFN runtime agree.
 *
 * A usage record is `{ <stepId>: <entry> }` over the steps of one sequence that call a model. The entry of a step:
 * - `invoke`: `[inputTokens, outputTokens]`;
 * - `parallel`: `{ <branch>: <record> }` (branches without model calls are left out);
 * - `map`: one item per iteration, in item order, by the iteration's {@link SubMachineKind}: `record` its record,
 *   `tail` its last step's entry, `bare` its last step's `{ inputTokens, outputTokens }`;
 * - `choose`, `split`: the record of the case or variant that ran (`{}` for none);
 * - a `caught` step: a record holding its own entry under its id, or the fallback's entries.
 * @internal
 */
export interface UsagePlan {
  /** How the step's location holds its output (`undefined`: bare). */
  wrap(stepId: string): WrapKind | undefined;
  /** What a Parallel branch or Map iteration returns. */
  subMachine(steps: readonly Step[]): SubMachineKind;
  /** Whether a Parallel branch or Map iteration returns `{ output, usage }` (`tail` or `record`). */
  carries(steps: readonly Step[]): boolean;
  /**
   * Whether the step, or anything inside it (branches, cases, and its fallback unless `withFallback` is false), calls
   * a model with `invoke`.
   */
  hasInvoke(step: Step, withFallback?: boolean): boolean;
  /** The step of this id anywhere in the chain. */
  step(stepId: string): Step | undefined;
}

function children(step: Step, withFallback: boolean): Step[][] {
  const out: Step[][] = [];
  // A transform cannot fail in ASL: its policy is ignored, its fallback never runs.
  if (withFallback && step.type !== 'respond' && step.type !== 'transform' && step.policy?.catch)
    out.push(step.policy.catch.fallback);
  switch (step.type) {
    case 'parallel':
      out.push(...Object.values(step.branches));
      break;
    case 'map':
      out.push(step.steps);
      break;
    case 'choose':
      out.push(...step.cases.map((entry) => entry.steps), step.otherwise ?? []);
      break;
    case 'split':
      out.push(...Object.values(step.variants).map((variant) => variant.steps));
      break;
    default:
      break;
  }
  return out;
}

function subMachineKind(steps: readonly Step[], hasInvoke: (step: Step) => boolean): SubMachineKind {
  const last = steps.at(-1);
  if (!last || steps.slice(0, -1).some(hasInvoke)) return steps.some(hasInvoke) ? 'record' : 'plain';
  if (!hasInvoke(last)) return 'plain';
  // Inside a sub-machine, a step that calls a model is wrapped unless it is an invoke without catch.
  return last.type === 'invoke' && !last.policy?.catch ? 'bare' : 'tail';
}

/**
 * Plans the usage side channel of a chain (see {@link UsagePlan}). Steps on the main path (top level, cases of
 * `choose` and `split` there) report their outputs, so their usage is read from them; everywhere else (Parallel
 * branches, Map iterations, catch fallbacks, cases of a wrapped `choose`/`split`) a step that calls a model and whose
 * output does not show it is wrapped, so that the end of its sequence can gather the usage with definite paths.
 * @internal
 */
export function usagePlan(steps: readonly Step[]): UsagePlan {
  const invokes = new Map<Step, boolean>();
  const byId = new Map<string, Step>();
  const wraps = new Map<string, WrapKind>();

  const hasInvoke = (step: Step): boolean => {
    let known = invokes.get(step);
    if (known === undefined) {
      known = step.type === 'invoke' || children(step, true).some((list) => list.some(hasInvoke));
      invokes.set(step, known);
    }
    return known;
  };
  const kindOf = (list: readonly Step[]): SubMachineKind => subMachineKind(list, hasInvoke);
  const carries = (list: readonly Step[]): boolean => ['tail', 'record'].includes(kindOf(list));

  const visit = (list: readonly Step[], gathered: boolean): void => {
    for (const step of list) {
      byId.set(step.id, step);
      if (step.type === 'respond') continue;
      let kind: WrapKind | undefined;
      const caught = step.type !== 'transform' && step.policy?.catch !== undefined;
      if (caught && hasInvoke(step)) kind = 'caught';
      else if (step.type === 'parallel' || step.type === 'map') {
        const subs = step.type === 'parallel' ? Object.values(step.branches) : [step.steps];
        if (subs.some(carries) || (gathered && hasInvoke(step))) kind = 'own';
      } else if ((step.type === 'choose' || step.type === 'split') && gathered && hasInvoke(step)) kind = 'own';
      if (kind) wraps.set(step.id, kind);
      if (caught && step.policy?.catch) visit(step.policy.catch.fallback, true);
      switch (step.type) {
        case 'parallel':
          for (const branch of Object.values(step.branches)) visit(branch, true);
          break;
        case 'map':
          visit(step.steps, true);
          break;
        case 'choose':
          for (const entry of step.cases) visit(entry.steps, gathered || kind !== undefined);
          visit(step.otherwise ?? [], gathered || kind !== undefined);
          break;
        case 'split':
          for (const variant of Object.values(step.variants)) visit(variant.steps, gathered || kind !== undefined);
          break;
        default:
          break;
      }
    }
  };
  visit(steps, false);

  return {
    wrap: (stepId) => wraps.get(stepId),
    subMachine: kindOf,
    carries,
    hasInvoke: (step, withFallback = true) =>
      withFallback
        ? hasInvoke(step)
        : step.type === 'invoke' || children(step, false).some((list) => list.some(hasInvoke)),
    step: (stepId) => byId.get(stepId),
  };
}
