import { type Chain, resolveValue, StepFailedError } from '@stepwise/core';

/**
 * The chain output of a chain that ends with `respond`, built by the SFN runtime once the answer has streamed
 * (decision 0005), from the same state runtime-local builds it from: the chain input and the outputs of the steps
 * that ran on the main path, the `respond` step's `{ text, usage }` included. A path that is missing fails the run
 * with `States.Runtime` and no step id, after the answer, as on runtime-local. `null` without `chain.output`.
 * @internal
 */
export function resolveChainOutput(chain: Chain, input: unknown, steps: { [stepId: string]: unknown }): unknown {
  if (!chain.output) return null;
  try {
    return resolveValue(chain.output, { input, steps });
  } catch (error) {
    throw new StepFailedError(`The chain output could not be built: ${(error as Error).message}`, {
      error: 'States.Runtime',
      cause: error,
    });
  }
}
