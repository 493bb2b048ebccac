export { type ReviewDigestOptions, reviewDigest, reviewDigestChain, reviewDigestInput } from './chain';
export { type ReviewDocument, reviewThemes, sampleReviews } from './documents';
export { reviewDigestFakes, sampleDigestInput } from './fakes';

import { reviewDigestFakes, sampleDigestInput } from './fakes';

/**
 * The fakes with small, realistic latencies, for `stepwise run`, `stepwise serve` and `pnpm start`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(fakes());
 * ```
 */
export const fakes = () => reviewDigestFakes({ firstTokenMs: 150, tokenMs: 12 });

/**
 * The input `stepwise run` uses when no `--input` is given: 12 product reviews.
 *
 * @example
 * ```ts
 * await runtime.run(reviewDigest, sampleInput);
 * ```
 */
export const sampleInput = sampleDigestInput(12);
