export { abTest, abTestInput } from './chain';
export { abTestFakes } from './fakes';

import { abTestFakes } from './fakes';

/**
 * The fakes with small, realistic latencies, for `stepwise run`, `stepwise serve` and `pnpm start`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(fakes());
 * ```
 */
export const fakes = () => abTestFakes({ firstTokenMs: 150, tokenMs: 12 });

/**
 * The input `stepwise run` uses when no `--input` is given.
 *
 * @example
 * ```ts
 * await runtime.run(abTest, sampleInput);
 * ```
 */
export const sampleInput = { question: 'How do I choose a sleeping bag for autumn camping?' };
