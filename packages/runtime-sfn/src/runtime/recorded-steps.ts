import type { ModelUsage, Step, StepType } from '@stepwise/core';
import type { UsagePlan } from '../compiler/usage-plan';
import { sumUsageEntry } from './sum-usage-entry';

/** One step that ran on the main path, as recovered from an execution's recorded state. @internal */
export interface RecordedStep {
  stepId: string;
  stepType: StepType;
  output: unknown;
  /** Tokens of an `invoke` step, from its output. */
  usage?: ModelUsage;
  /** The model of an `invoke` step. */
  modelId?: string;
  /** Steps that ran inside it and report their own events (the chosen `choose` case, the picked `split` variant). */
  children: RecordedStep[];
}

/** The usage recorded in an `invoke` output (`{ text, usage: { inputTokens, outputTokens } }`), if any. */
export function usageOf(output: unknown): ModelUsage | undefined {
  const usage = (output as { usage?: unknown } | null)?.usage as Partial<ModelUsage> | undefined;
  if (typeof usage?.inputTokens !== 'number' || typeof usage.outputTokens !== 'number') return undefined;
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
}

/** Whether a caught step succeeded by itself: its wrapped location's usage record holds its own entry. @internal */
export function ranItself(stepId: string, recorded: Record<string, unknown>): boolean {
  const usage = (recorded[stepId] as { usage?: unknown } | null)?.usage;
  return typeof usage === 'object' && usage !== null && Object.hasOwn(usage, stepId);
}

/** The output of a step as the execution recorded it: `{ output, usage }` when the plan wraps its location. @internal */
export function outputOf(plan: UsagePlan, stepId: string, recorded: Record<string, unknown>): unknown {
  const value = recorded[stepId];
  return plan.wrap(stepId) ? (value as { output?: unknown } | null)?.output : value;
}

/**
 * The steps of a chain that ran on the main path, in definition order, from the outputs an execution recorded in
 * `steps`: a step is reported when its id is present. Steps of the chosen `choose` case and the picked `split`
 * variant nest under their parent; steps in `parallel` branches, `map` iterations and `catch` fallbacks are not
 * reported (decision 0001). `respond` steps are skipped: they run after the execution.
 * @internal
 */
export function recordedSteps(
  steps: readonly Step[],
  recorded: Record<string, unknown>,
  plan: UsagePlan,
): RecordedStep[] {
  const out: RecordedStep[] = [];
  for (const step of steps) {
    if (step.type === 'respond' || !Object.hasOwn(recorded, step.id)) continue;
    const output = outputOf(plan, step.id, recorded);
    const entry: RecordedStep = { stepId: step.id, stepType: step.type, output, children: [] };
    if (step.type === 'invoke') {
      const usage = usageOf(output);
      // A caught invoke whose fallback ran reports no usage of its own (its output is the fallback's), as on
      // runtime-local: its usage record then holds the fallback's entries, not its own.
      if (usage && (plan.wrap(step.id) !== 'caught' || ranItself(step.id, recorded))) entry.usage = usage;
      entry.modelId = step.model;
    }
    if (step.type === 'choose') {
      for (const branch of [...step.cases.map((item) => item.steps), step.otherwise ?? []]) {
        const children = recordedSteps(branch, recorded, plan);
        if (children.length > 0) {
          entry.children = children;
          break;
        }
      }
    }
    if (step.type === 'split') {
      const variant = (output as { variant?: unknown } | null)?.variant;
      const picked = typeof variant === 'string' ? step.variants[variant] : undefined;
      if (picked) entry.children = recordedSteps(picked.steps, recorded, plan);
    }
    out.push(entry);
  }
  return out;
}

/**
 * Usage of every model call of an execution, from the outputs it recorded: a main-path `invoke` by its output; a step
 * whose location the plan wraps by its `usage` record (model calls in its branches, iterations, cases or fallback);
 * otherwise the steps of the chosen `choose` case or `split` variant, and the last `invoke` of each `parallel` branch
 * or `map` iteration, whose outputs hold their tokens.
 * @internal
 */
export function collectUsage(
  steps: readonly Step[],
  recorded: Record<string, unknown>,
  plan: UsagePlan,
  add: (modelId: string, usage: ModelUsage) => void,
): void {
  for (const step of steps) {
    if (step.type === 'respond' || !Object.hasOwn(recorded, step.id)) continue;
    if (plan.wrap(step.id)) {
      sumUsageEntry(plan, step, (recorded[step.id] as { usage?: unknown } | null)?.usage, add);
      continue;
    }
    const output = recorded[step.id];
    switch (step.type) {
      case 'invoke': {
        const usage = usageOf(output);
        if (usage) add(step.model, usage);
        break;
      }
      case 'choose':
        for (const branch of [...step.cases.map((item) => item.steps), step.otherwise ?? []])
          collectUsage(branch, recorded, plan, add);
        break;
      case 'split':
        for (const variant of Object.values(step.variants)) collectUsage(variant.steps, recorded, plan, add);
        break;
      case 'parallel':
        for (const [name, branch] of Object.entries(step.branches)) {
          const last = branch.at(-1);
          const value = (output as Record<string, unknown> | null)?.[name];
          if (last?.type === 'invoke') {
            const usage = usageOf(value);
            if (usage) add(last.model, usage);
          }
        }
        break;
      case 'map': {
        const last = step.steps.at(-1);
        if (last?.type === 'invoke' && Array.isArray(output)) {
          for (const item of output) {
            const usage = usageOf(item);
            if (usage) add(last.model, usage);
          }
        }
        break;
      }
      default:
        break;
    }
  }
}
