import type { Step, ValueSpec } from '@stepwise/core';
import type { FakeReply } from '@stepwise/runtime-local';

/**
 * What the handler behind a `task` step does, as data, so both runtimes get a fresh handler that behaves the same:
 * - `echo`: returns its input;
 * - `const`: returns `value`;
 * - `throw`: every call throws an error named `errorName`;
 * - `flaky`: the first `failures` calls throw `errorName`, later ones return `value`;
 * - `slow`: waits until the step is aborted (its timeout), then returns `value`.
 *
 * @example
 * ```ts
 * const handler: HandlerSpec = { kind: 'flaky', errorName: 'FuzzError', failures: 1, value: { ok: true } };
 * ```
 */
export type HandlerSpec =
  | { kind: 'echo' }
  | { kind: 'const'; value: unknown }
  | { kind: 'throw'; errorName: string }
  | { kind: 'flaky'; errorName: string; failures: number; value: unknown }
  | { kind: 'slow'; value: unknown };

/**
 * One generated case of the differential fuzzer: a chain (as the definition `defineChain` takes, without its name,
 * which the harness gives each run), its input, and the fakes both runtimes run it against, as data.
 *
 * @example
 * ```ts
 * const fuzzCase: FuzzCase = {
 *   steps: [transform('t1', { set: { q: 'input.q' } })],
 *   input: { q: 'hi' },
 *   models: { byStep: {}, default: 'ok' },
 *   documents: [],
 *   handlers: {},
 *   random: 0.5,
 * };
 * ```
 */
export interface FuzzCase {
  steps: Step[];
  output?: { [key: string]: ValueSpec };
  input: unknown;
  /** The fake models' script: `fakeModels` options (data only). */
  models: { byStep: { [stepId: string]: FakeReply }; default: FakeReply; throttle?: number };
  /** Documents of the knowledge base `KBdocs` (the id `KBnone` has no knowledge base). */
  documents: { text: string; source?: string }[];
  /** Task handlers by name (`h0`, `h1`, ...; the name `hNone` has no handler). */
  handlers: { [name: string]: HandlerSpec };
  /** What the random source returns on both runtimes (the `split` draw, retry jitter). */
  random: number;
}

/**
 * The knowledge base id that has the case's documents.
 *
 * @example
 * ```ts
 * retrieve('docs', { knowledgeBaseId: KNOWLEDGE_BASE_ID, query: '{{input.q}}' });
 * ```
 */
export const KNOWLEDGE_BASE_ID = 'KBdocs';

/**
 * A knowledge base id nobody serves (a `retrieve` of it fails on both runtimes).
 *
 * @example
 * ```ts
 * retrieve('docs', { knowledgeBaseId: MISSING_KNOWLEDGE_BASE_ID, query: 'x' });
 * ```
 */
export const MISSING_KNOWLEDGE_BASE_ID = 'KBnone';

/**
 * A handler name nobody serves (a `task` of it fails on both runtimes).
 *
 * @example
 * ```ts
 * task('lookup', { handler: MISSING_HANDLER });
 * ```
 */
export const MISSING_HANDLER = 'hNone';

/**
 * How many handler names (`h0` ... `h<n-1>`) a case may use; the emulator serves them all, forwarding to the case.
 *
 * @example
 * ```ts
 * const names = Array.from({ length: HANDLER_SLOTS }, (_, slot) => `h${slot}`);
 * ```
 */
export const HANDLER_SLOTS = 24;
