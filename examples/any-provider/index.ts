export { ANSWERER, anyProvider, anyProviderInput, CLASSIFIER, exampleConnections } from './chain';
export { anyProviderFakes } from './fakes';
export { realModels } from './real-models';

import { anyProviderFakes } from './fakes';

/**
 * The fakes with small, realistic latencies, for `stepwise run`, `stepwise serve` and `pnpm start`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(fakes());
 * ```
 */
export const fakes = () => anyProviderFakes({ firstTokenMs: 150, tokenMs: 12 });

/**
 * The input `stepwise run` uses when no `--input` is given.
 *
 * @example
 * ```ts
 * await runtime.run(anyProvider, sampleInput);
 * ```
 */
export const sampleInput = { question: 'I was charged twice for my tent order, can you fix that?' };
