import type { Chain } from './chain';
import { checkPaths } from './check-paths';
import { jsonSchemaOfShape } from './json-schema-of-shape';

/**
 * The JSON Schema (draft 2020-12) of a chain's output, for `GET /v1/chains` and tooling: the shape `defineChain`
 * derived for it (its `output` spec built from the final state, or the last non-`respond` step's output).
 * Parts nothing is known about (a task without an output schema) are `{}`.
 *
 * @example
 * ```ts
 * outputJsonSchemaOf(defineChain({ name: 'echo', steps: [transform('echo', { set: { q: 'input.q', n: 1 } })] }));
 * // { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
 * //   properties: { q: {}, n: { type: 'integer' } }, required: ['q', 'n'], additionalProperties: false }
 * ```
 */
export function outputJsonSchemaOf(chain: Chain<any, any, any>): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...jsonSchemaOfShape(checkPaths(chain).output) };
}
