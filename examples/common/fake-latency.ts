import type { FakeModelsOptions } from '@stepwise/runtime-local';

/**
 * Latencies of an example's fake models (`fakeModels`' own options): `firstTokenMs` before the first token (and
 * before a whole answer), `tokenMs` between tokens. Both default to 0.
 *
 * @example
 * ```ts
 * const latency: FakeLatency = { firstTokenMs: 150, tokenMs: 12 };
 * const runtime = createLocalRuntime(routerFakes(latency));
 * ```
 */
export type FakeLatency = Pick<FakeModelsOptions, 'firstTokenMs' | 'tokenMs'>;
