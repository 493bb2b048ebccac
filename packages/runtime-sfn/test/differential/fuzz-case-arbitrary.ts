import type fc from 'fast-check';
import { buildCase } from './build-case';
import { casePlanArbitrary } from './case-plan-arbitrary';
import type { FuzzCase } from './fuzz-case';

/**
 * Generated fuzz cases: plans from {@link casePlanArbitrary}, built by {@link buildCase}. fast-check shrinks the
 * plan, so a counterexample shrinks to a smaller chain that still refers only to what is in scope.
 *
 * @example
 * ```ts
 * await fc.assert(fc.asyncProperty(fuzzCaseArbitrary, async (fuzzCase) => check(fuzzCase)), { seed: 42 });
 * ```
 */
export const fuzzCaseArbitrary: fc.Arbitrary<FuzzCase> = casePlanArbitrary.map(buildCase);
