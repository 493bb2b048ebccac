import { type Chain, inputJsonSchemaOf, outputJsonSchemaOf } from '@stepwise/core';

/** A chain as `GET /v1/chains` lists it: name, description, input JSON Schema, whether it streams an answer. @internal */
export function chainEntry(chain: Chain<any>): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: chain.name };
  if (chain.description !== undefined) entry.description = chain.description;
  const schema = inputJsonSchemaOf(chain);
  if (schema !== undefined) entry.inputSchema = schema;
  entry.streams = chain.steps.at(-1)?.type === 'respond';
  return entry;
}

/** The body of `GET /v1/chains`: each chain's entry and the JSON Schema of its output. @internal */
export function chainList(chains: Iterable<Chain<any>>): { chains: Array<Record<string, unknown>> } {
  return { chains: [...chains].map((chain) => ({ ...chainEntry(chain), ...outputSchemaOf(chain) })) };
}

/**
 * The body of `GET /v1/chains/:name`, as JSON text: the entry, and the definition as data (the steps and output as
 * written, for the playground's graph and inspector). A task's `output` may be a schema object (zod, valibot...):
 * code, not data; it is left out.
 * @internal
 */
export function chainDefinitionText(chain: Chain<any>): string {
  const entry = chainEntry(chain);
  entry.steps = chain.steps;
  if (chain.output !== undefined) entry.output = chain.output;
  return JSON.stringify(entry, withoutSchemaObjects);
}

/** `{ outputSchema }`: the JSON Schema of the chain's output, the shape `defineChain` derived; `{}` when it has none. */
function outputSchemaOf(chain: Chain<any>): { outputSchema?: Record<string, unknown> } {
  try {
    return { outputSchema: outputJsonSchemaOf(chain) };
  } catch {
    return {}; // a chain not made by defineChain, whose paths do not check
  }
}

/**
 * A `JSON.stringify` replacer that leaves out Standard Schema objects (they hold functions and library internals):
 * class instances that have `~standard` (zod, arktype) and plain objects that list it (valibot). A plain JSON object
 * that only carries it hidden (zod's JSON Schema output does) stays.
 */
function withoutSchemaObjects(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('~standard' in value)) return value;
  const prototype = Object.getPrototypeOf(value);
  const plain = prototype === Object.prototype || prototype === null;
  return !plain || Object.keys(value).includes('~standard') ? undefined : value;
}
