import type { Step } from '@stepwise/core';

/**
 * Where a step sits in a chain: its kind, its container (`parent`) and how it got there (`via`: a parallel branch,
 * a choose case, a map iteration, a split variant, a catch fallback).
 *
 * @example
 * ```ts
 * const entry: StepEntry = { step, parent: 'route', via: 'case' };
 * ```
 */
export interface StepEntry {
  step: Step;
  parent?: string;
  via?: 'branch' | 'case' | 'iteration' | 'variant' | 'fallback';
}

/**
 * Every step of a chain by id, nested ones included.
 *
 * @example
 * ```ts
 * const index = stepIndex(chain.steps);
 * index.get('inner')?.parent; // 'outer'
 * ```
 */
export function stepIndex(steps: Step[]): Map<string, StepEntry> {
  const index = new Map<string, StepEntry>();
  const add = (list: Step[], parent: string | undefined, via: StepEntry['via']) => {
    for (const step of list) {
      index.set(step.id, { step, ...(parent !== undefined ? { parent, via } : {}) });
      if (step.type !== 'respond' && step.policy?.catch) add(step.policy.catch.fallback, step.id, 'fallback');
      switch (step.type) {
        case 'parallel':
          for (const branch of Object.values(step.branches)) add(branch, step.id, 'branch');
          break;
        case 'choose':
          for (const entry of step.cases) add(entry.steps, step.id, 'case');
          if (step.otherwise) add(step.otherwise, step.id, 'case');
          break;
        case 'map':
          add(step.steps, step.id, 'iteration');
          break;
        case 'split':
          for (const variant of Object.values(step.variants)) add(variant.steps, step.id, 'variant');
          break;
      }
    }
  };
  add(steps, undefined, undefined);
  return index;
}

/**
 * The containers of a step, innermost first.
 *
 * @example
 * ```ts
 * ancestorsOf(stepIndex(chain.steps), 'inner'); // ['outer', 'top']
 * ```
 */
export function ancestorsOf(index: Map<string, StepEntry>, stepId: string): string[] {
  const out: string[] = [];
  let parent = index.get(stepId)?.parent;
  while (parent !== undefined) {
    out.push(parent);
    parent = index.get(parent)?.parent;
  }
  return out;
}

/**
 * Every step of a chain, depth first, nested ones included.
 *
 * @example
 * ```ts
 * const invokes = allSteps(chain.steps).filter((step) => step.type === 'invoke');
 * ```
 */
export function allSteps(steps: Step[]): Step[] {
  return [...stepIndex(steps).values()].map((entry) => entry.step);
}
