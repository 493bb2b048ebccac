import { ChainDefinitionError } from '../errors/chain-definition-error';
import type { Chain } from './chain';
import type { Step } from './step';

const STEP_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Checks a chain definition; `defineChain` calls it. Throws `ChainDefinitionError` naming the step and the problem.
 *
 * @example
 * ```ts
 * validateChain(JSON.parse(storedChainJson));
 * ```
 */
export function validateChain(chain: Chain): void {
  if (typeof chain.name !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(chain.name)) {
    throw new ChainDefinitionError(`Chain name "${String(chain.name)}" must be 1-80 characters of [A-Za-z0-9_-].`);
  }
  const seen = new Set<string>();
  const visit = (steps: Step[]): void => {
    for (const step of steps) {
      if (!STEP_ID.test(step.id)) {
        throw new ChainDefinitionError(`Step id "${step.id}" must match [A-Za-z][A-Za-z0-9_]*.`, { stepId: step.id });
      }
      if (seen.has(step.id)) {
        throw new ChainDefinitionError(`Step id "${step.id}" is used twice; step ids are unique within a chain.`, {
          stepId: step.id,
        });
      }
      seen.add(step.id);
    }
  };
  visit(chain.steps);
}
