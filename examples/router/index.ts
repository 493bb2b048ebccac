export { router, routerInput } from './chain';
export { createRetentionOffer, type RetentionOffer, routerFakes } from './fakes';

import { createRetentionOffer, routerFakes } from './fakes';

/**
 * The fakes with small, realistic latencies, for `stepwise run`, `stepwise serve` and `pnpm start`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(fakes());
 * ```
 */
export const fakes = () => routerFakes({ firstTokenMs: 150, tokenMs: 12 });

/**
 * The task handlers, also used when the chain runs on real Bedrock (`stepwise run --bedrock`).
 *
 * @example
 * ```ts
 * // import { bedrockModels } from '@stepwise/runtime-local/bedrock';
 * createLocalRuntime({ models: bedrockModels(), handlers });
 * ```
 */
export const handlers = { createRetentionOffer };

/**
 * The input `stepwise run` uses when no `--input` is given: a customer about to leave.
 *
 * @example
 * ```ts
 * await runtime.run(router, sampleInput);
 * ```
 */
export const sampleInput = {
  customerId: 'c-42',
  message: 'Your membership got too expensive, I am thinking of cancelling it.',
};
