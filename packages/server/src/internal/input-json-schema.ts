import type { Chain } from '@stepwise/core';

interface StandardJsonSchemaProps {
  jsonSchema?: { input?: (options: { target: string }) => Record<string, unknown> };
}

/**
 * The JSON Schema of a chain's input: `chain.inputJsonSchema`, else what the Standard Schema can produce
 * (Standard JSON Schema, as zod 4 implements it), else undefined.
 * @internal
 */
export function inputJsonSchema(chain: Chain<any>): Record<string, unknown> | undefined {
  if (chain.inputJsonSchema !== undefined) return chain.inputJsonSchema;
  const standard = chain.input?.['~standard'] as StandardJsonSchemaProps | undefined;
  const produce = standard?.jsonSchema?.input;
  if (typeof produce !== 'function') return undefined;
  try {
    return produce({ target: 'draft-2020-12' });
  } catch {
    return undefined;
  }
}
