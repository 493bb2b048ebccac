import type { Shape } from './shape';

/** Refs are written out this deep; below, a definition that refers to itself becomes `{}` (any value). */
const MAX_REF_DEPTH = 4;

/**
 * The JSON Schema (draft 2020-12) of a shape, for `GET /v1/chains` and tooling: `unknown` is `{}` (any value),
 * closed objects have `additionalProperties: false`, string and boolean literals are `enum`s, unions are `anyOf`.
 * A recursive definition is written out a few levels deep, then left open (`{}`).
 *
 * @example
 * ```ts
 * jsonSchemaOfShape({ kind: 'object', properties: { text: { kind: 'string' } }, required: ['text'] });
 * // { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false }
 * ```
 */
export function jsonSchemaOfShape(shape: Shape): Record<string, unknown> {
  return write(shape, 0);
}

function write(shape: Shape, depth: number): Record<string, unknown> {
  switch (shape.kind) {
    case 'unknown':
      return {};
    case 'string':
      return shape.values ? { type: 'string', enum: [...shape.values] } : { type: 'string' };
    case 'number':
      return { type: shape.integer ? 'integer' : 'number' };
    case 'boolean':
      return shape.values && shape.values.length === 1
        ? { type: 'boolean', enum: [...shape.values] }
        : { type: 'boolean' };
    case 'null':
      return { type: 'null' };
    case 'object': {
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(shape.properties)) properties[key] = write(value, depth);
      const out: Record<string, unknown> = { type: 'object', properties };
      if (shape.required.length > 0) out.required = [...shape.required];
      if (shape.rest === undefined) out.additionalProperties = false;
      else if (shape.rest.kind !== 'unknown') out.additionalProperties = write(shape.rest, depth);
      return out;
    }
    case 'array': {
      const out: Record<string, unknown> = { type: 'array' };
      if (shape.prefix) out.prefixItems = shape.prefix.map((item) => write(item, depth));
      if (shape.items.kind !== 'unknown') out.items = write(shape.items, depth);
      return out;
    }
    case 'union':
      return shape.of.length === 0 ? { not: {} } : { anyOf: shape.of.map((member) => write(member, depth)) };
    case 'ref':
      return depth >= MAX_REF_DEPTH ? {} : write(shape.target(), depth + 1);
  }
}
