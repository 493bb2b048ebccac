import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Step, ValueSpec } from './step';

/**
 * A prompt chain: plain data, made by `defineChain`. Everything but `input` (a Standard Schema object) is
 * JSON-serialisable, so a chain can be stored, sent and compiled.
 *
 * @example
 * ```ts
 * const chain: Chain<{ question: string }> = defineChain({ name: 'qa', input: z.object({ question: z.string() }), steps });
 * JSON.stringify({ ...chain, input: undefined }); // plain data
 * ```
 */
export interface Chain<Input = unknown> {
  name: string;
  description?: string;
  /** Standard Schema (zod 4, valibot, arktype, ...) the input must satisfy. */
  input?: StandardSchemaV1<unknown, Input>;
  /** JSON Schema of the input, for `GET /v1/chains`; derived from `input` when the schema can produce one. */
  inputJsonSchema?: Record<string, unknown>;
  steps: Step[];
  /**
   * The chain's output, built from the final state like `transform.set`. Default: the output of the last
   * top-level step that is not `respond` (or `null`).
   */
  output?: { [key: string]: ValueSpec };
}
