import type { Chain } from './chain';

interface JsonSchemaConverter {
  input(options: { target: string }): Record<string, unknown>;
}

/**
 * The JSON Schema (draft 2020-12) of a chain's input, for `GET /v1/chains` and tooling: `chain.inputJsonSchema`
 * when set, else what the input schema produces through the Standard JSON Schema interface
 * (`schema['~standard'].jsonSchema.input(...)`: zod 4 has it; for valibot pass `inputJsonSchema` yourself),
 * else `undefined`. A schema that cannot be converted gives `undefined` rather than throwing.
 *
 * @example
 * ```ts
 * const chain = defineChain({ name: 'qa', input: z.object({ question: z.string() }), steps });
 * inputJsonSchemaOf(chain);
 * // { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { question: { type: 'string' } }, required: ['question'] }
 * ```
 */
export function inputJsonSchemaOf(chain: Chain<any>): Record<string, unknown> | undefined {
  if (chain.inputJsonSchema !== undefined) return chain.inputJsonSchema;
  const standard = (chain.input as { '~standard'?: { jsonSchema?: JsonSchemaConverter } } | undefined)?.['~standard'];
  const converter = standard?.jsonSchema;
  if (typeof converter?.input !== 'function') return undefined;
  try {
    const schema = converter.input({ target: 'draft-2020-12' });
    return typeof schema === 'object' && schema !== null ? schema : undefined;
  } catch {
    return undefined;
  }
}
