import type { ModelUsage, Step } from '@stepwise/core';
import type { UsagePlan } from '../compiler/usage-plan';

/** Adds up a usage record `{ <stepId>: <entry> }`. */
function sumUsageRecord(plan: UsagePlan, record: unknown, add: (modelId: string, usage: ModelUsage) => void): void {
  if (!isObject(record)) return;
  for (const [stepId, entry] of Object.entries(record)) {
    const step = plan.step(stepId);
    if (step) sumUsageEntry(plan, step, entry, add);
  }
}

/**
 * Adds up, by model, the usage entry the compiled machine recorded for `step` (its `usage` when the plan wraps it;
 * the entry shapes are described on `UsagePlan`): `add(modelId, usage)` once per model call.
 * @internal
 */
export function sumUsageEntry(
  plan: UsagePlan,
  step: Step,
  entry: unknown,
  add: (modelId: string, usage: ModelUsage) => void,
): void {
  if (plan.wrap(step.id) === 'caught') {
    if (!isObject(entry)) return;
    for (const [stepId, inner] of Object.entries(entry)) {
      const other = plan.step(stepId);
      if (stepId === step.id) sumOwn(plan, step, inner, add);
      else if (other) sumUsageEntry(plan, other, inner, add);
    }
    return;
  }
  sumOwn(plan, step, entry, add);
}

function sumOwn(plan: UsagePlan, step: Step, entry: unknown, add: (modelId: string, usage: ModelUsage) => void): void {
  switch (step.type) {
    case 'invoke':
      if (Array.isArray(entry) && typeof entry[0] === 'number' && typeof entry[1] === 'number')
        add(step.model, { inputTokens: entry[0], outputTokens: entry[1] });
      break;
    case 'parallel':
      if (isObject(entry)) for (const record of Object.values(entry)) sumUsageRecord(plan, record, add);
      break;
    case 'map': {
      if (!Array.isArray(entry)) break;
      const kind = plan.subMachine(step.steps);
      const last = step.steps.at(-1);
      for (const item of entry) {
        if (kind === 'record') sumUsageRecord(plan, item, add);
        else if (kind === 'tail' && last) sumUsageEntry(plan, last, item, add);
        else if (kind === 'bare' && last?.type === 'invoke' && isUsage(item))
          add(last.model, { inputTokens: item.inputTokens, outputTokens: item.outputTokens });
      }
      break;
    }
    case 'choose':
    case 'split':
      sumUsageRecord(plan, entry, add);
      break;
    default:
      break;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUsage(value: unknown): value is ModelUsage {
  return isObject(value) && typeof value.inputTokens === 'number' && typeof value.outputTokens === 'number';
}
