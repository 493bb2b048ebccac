import type { ModelUsage, Step, StepType } from '@stepwise/core';

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

/**
 * The steps of a chain that ran on the main path, in definition order, from the outputs an execution recorded in
 * `steps`: a step is reported when its id is present. Steps of the chosen `choose` case and the picked `split`
 * variant nest under their parent; steps in `parallel` branches, `map` iterations and `catch` fallbacks are not
 * reported (decision 0001). `respond` steps are skipped: they run after the execution.
 * @internal
 */
export function recordedSteps(steps: readonly Step[], recorded: Record<string, unknown>): RecordedStep[] {
  const out: RecordedStep[] = [];
  for (const step of steps) {
    if (step.type === 'respond' || !Object.hasOwn(recorded, step.id)) continue;
    const output = recorded[step.id];
    const entry: RecordedStep = { stepId: step.id, stepType: step.type, output, children: [] };
    if (step.type === 'invoke') {
      const usage = usageOf(output);
      if (usage) entry.usage = usage;
      entry.modelId = step.model;
    }
    if (step.type === 'choose') {
      for (const branch of [...step.cases.map((item) => item.steps), step.otherwise ?? []]) {
        const children = recordedSteps(branch, recorded);
        if (children.length > 0) {
          entry.children = children;
          break;
        }
      }
    }
    if (step.type === 'split') {
      const variant = (output as { variant?: unknown } | null)?.variant;
      const picked = typeof variant === 'string' ? step.variants[variant] : undefined;
      if (picked) entry.children = recordedSteps(picked.steps, recorded);
    }
    out.push(entry);
  }
  return out;
}

/**
 * Usage of the model calls whose outputs an execution kept: every reported `invoke`, and the `invoke` steps that
 * end a `parallel` branch or a `map` iteration (their outputs live in the parent's output). Calls whose outputs are
 * not kept (earlier steps of a branch, `catch` fallbacks) cannot be counted.
 * @internal
 */
export function collectUsage(
  steps: readonly Step[],
  recorded: Record<string, unknown>,
  add: (modelId: string, usage: ModelUsage) => void,
): void {
  for (const step of steps) {
    if (step.type === 'respond' || !Object.hasOwn(recorded, step.id)) continue;
    const output = recorded[step.id];
    switch (step.type) {
      case 'invoke': {
        const usage = usageOf(output);
        if (usage) add(step.model, usage);
        break;
      }
      case 'choose':
        for (const branch of [...step.cases.map((item) => item.steps), step.otherwise ?? []])
          collectUsage(branch, recorded, add);
        break;
      case 'split':
        for (const variant of Object.values(step.variants)) collectUsage(variant.steps, recorded, add);
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
