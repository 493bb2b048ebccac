import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Step, ValueSpec } from './step';

/**
 * A prompt chain: plain data, made by `defineChain`. Everything but `input` (a Standard Schema object) is
 * JSON-serialisable, so a chain can be stored, sent and compiled.
 *
 * The type parameters follow the chain: `Input` is what `run`/`stream` accept (the schema's input type),
 * `Output` the type of the chain's output (from `output`, or the last step that is not `respond`), `Parsed`
 * the input once validated (the schema's output type: defaults applied), which is what steps read.
 * `defineChain` infers all three; `Chain` alone describes any chain.
 *
 * @example
 * ```ts
 * const chain: Chain<{ question: string }> = defineChain({ name: 'qa', input: z.object({ question: z.string() }), steps });
 * JSON.stringify({ ...chain, input: undefined }); // plain data
 * ```
 */
export interface Chain<Input = unknown, Output = unknown, Parsed = Input> {
  name: string;
  description?: string;
  /** Standard Schema (zod 4, valibot, arktype, ...) the input must satisfy. */
  input?: StandardSchemaV1<Input, Parsed>;
  /** JSON Schema of the input, for `GET /v1/chains`; derived from `input` when the schema can produce one. */
  inputJsonSchema?: Record<string, unknown>;
  steps: Step[];
  /**
   * The chain's output, built from the final state like `transform.set`. Default: the output of the last
   * top-level step that is not `respond` (or `null`).
   */
  output?: { [key: string]: ValueSpec };
  /** Types only, never set: what the chain takes and gives, for `run`, `stream` and the client. */
  readonly '~types'?: { readonly input: Input; readonly output: Output };
}

/**
 * What `runtime.run(chain, input)` accepts for a chain: the input schema's input type, `unknown` without one.
 *
 * @example
 * ```ts
 * const input: ChainInput<typeof qa> = { question: 'Why?' };
 * ```
 */
export type ChainInput<C> = C extends Chain<infer Input, any, any> ? Input : unknown;

/**
 * The type of a chain's output (`ChainResult.output`, `chain-end`'s `output`).
 *
 * @example
 * ```ts
 * const output: ChainOutput<typeof router> = (await runtime.run(router, input)).output; // { churnRisk: unknown; ... }
 * ```
 */
export type ChainOutput<C> = C extends Chain<any, infer Output, any> ? Output : unknown;
