export { apiCall, apiCallInput } from './chain';
export { type ApiCallFakesOptions, apiCallFakes } from './fakes';
export { createOrderApi, type Order, orderApiCall, sampleOrders } from './order-api';

import { apiCallFakes } from './fakes';
import { createOrderApi } from './order-api';

/**
 * The fakes with small, realistic latencies, for `stepwise run`, `stepwise serve` and `pnpm start`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(fakes());
 * ```
 */
export const fakes = () => apiCallFakes({ firstTokenMs: 150, tokenMs: 12 });

/**
 * The task handlers, also used when the chain runs on real Bedrock (`stepwise run --bedrock`).
 *
 * @example
 * ```ts
 * // import { bedrockModels } from '@stepwise/runtime-local/bedrock';
 * createLocalRuntime({ models: bedrockModels(), handlers });
 * ```
 */
export const handlers = { orderApi: createOrderApi() };

/**
 * The input `stepwise run` uses when no `--input` is given.
 *
 * @example
 * ```ts
 * await runtime.run(apiCall, sampleInput);
 * ```
 */
export const sampleInput = { customerId: 'c-42', request: 'Where is my order 1042?' };
