import type { StandardSchemaV1 } from '@standard-schema/spec';

interface JsonSchemaConverter {
  input?(options: { target: string; libraryOptions?: Record<string, unknown> }): unknown;
  output?(options: { target: string; libraryOptions?: Record<string, unknown> }): unknown;
}

/** Conversions by schema object: schemas do not change once made (zod, valibot and arktype schemas are immutable). */
const converted = new WeakMap<object, { output?: Record<string, unknown>; input?: Record<string, unknown> }>();

/**
 * The JSON Schema (draft 2020-12) of the values a Standard Schema gives back after validation, which is what a
 * step reads from the state: the schema's own conversion of its output (Standard JSON Schema, `output`; zod 4 has
 * it, with transforms and other unrepresentable parts left open), else `jsonSchema` when given, else the
 * conversion of its input; `undefined` when there is none. A conversion that throws counts as none. Each schema
 * object is converted once (the conversion is most of what checking a chain costs).
 *
 * @example
 * ```ts
 * declaredJsonSchema(z.object({ limit: z.number().default(3) }));
 * // { $schema: '...', type: 'object', properties: { limit: { type: 'number', default: 3 } }, required: ['limit'], additionalProperties: false }
 * ```
 */
export function declaredJsonSchema(
  schema: StandardSchemaV1 | undefined,
  jsonSchema?: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (schema === undefined) return jsonSchema;
  let conversions = converted.get(schema);
  if (conversions === undefined) {
    const converter = (schema['~standard'] as { jsonSchema?: JsonSchemaConverter } | undefined)?.jsonSchema;
    conversions = {};
    const output = convert(() =>
      converter?.output?.({ target: 'draft-2020-12', libraryOptions: { unrepresentable: 'any' } }),
    );
    if (output !== undefined) conversions.output = output;
    else {
      const input = convert(() => converter?.input?.({ target: 'draft-2020-12' }));
      if (input !== undefined) conversions.input = input;
    }
    converted.set(schema, conversions);
  }
  return conversions.output ?? jsonSchema ?? conversions.input;
}

function convert(run: () => unknown): Record<string, unknown> | undefined {
  try {
    const schema = run();
    return typeof schema === 'object' && schema !== null && !Array.isArray(schema)
      ? (schema as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
