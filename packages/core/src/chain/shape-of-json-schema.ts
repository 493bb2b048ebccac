import { NULL_SHAPE, type Shape, UNKNOWN, unionOf } from './shape';

type Schema = { [key: string]: unknown };

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

/**
 * The shape of the values a JSON Schema (draft 2020-12, or draft-07 / OpenAPI 3.0 as zod and others write them)
 * accepts, as far as paths are concerned: `type` (one or several), `properties`, `required`,
 * `additionalProperties` (absent or `true`: any other key may exist, as JSON Schema says), `patternProperties`
 * (any other key may exist), `items` / `prefixItems`, `enum`, `const`, `anyOf` / `oneOf`, `allOf` (objects merged),
 * `nullable` and local `$ref`s (`#/$defs/...`, `#/definitions/...`). Everything else is ignored, which can only
 * allow more: a schema this function does not understand gives `unknown`.
 *
 * @example
 * ```ts
 * shapeOfJsonSchema({ type: 'object', properties: { question: { type: 'string' } }, required: ['question'], additionalProperties: false });
 * // { kind: 'object', properties: { question: { kind: 'string' } }, required: ['question'] }
 * ```
 */
export function shapeOfJsonSchema(schema: unknown): Shape {
  const refs = new Map<string, Shape>();
  return convert(schema, isSchema(schema) ? schema : {}, refs);
}

function convert(schema: unknown, root: Schema, refs: Map<string, Shape>): Shape {
  if (schema === false) return unionOf([]);
  if (!isSchema(schema)) return UNKNOWN;
  if (typeof schema.$ref === 'string') return refShape(schema.$ref, root, refs);
  const alternatives = schema.anyOf ?? schema.oneOf;
  let shape: Shape;
  if (Array.isArray(alternatives)) {
    const { anyOf: _anyOf, oneOf: _oneOf, ...base } = schema;
    const members = unionOf(alternatives.map((member) => convert(member, root, refs)));
    const own = convert(base, root, refs);
    // The base narrows the members, which this model cannot express; keep the more precise of the two.
    shape = own.kind === 'unknown' ? members : members.kind === 'unknown' ? own : members;
  } else if (Array.isArray(schema.allOf)) {
    const { allOf, ...base } = schema;
    shape = mergeAll([base, ...allOf].map((member) => convert(member, root, refs)));
  } else {
    shape = convertPlain(schema, root, refs);
  }
  return schema.nullable === true ? unionOf([shape, NULL_SHAPE]) : shape;
}

function convertPlain(schema: Schema, root: Schema, refs: Map<string, Shape>): Shape {
  if ('const' in schema) return shapeOfValues([schema.const]);
  if (Array.isArray(schema.enum)) return shapeOfValues(schema.enum);
  let types: string[];
  if (typeof schema.type === 'string') types = [schema.type];
  else if (Array.isArray(schema.type)) types = schema.type.filter((type): type is string => typeof type === 'string');
  else if (isSchema(schema.properties) || 'additionalProperties' in schema) types = ['object'];
  else if ('items' in schema || Array.isArray(schema.prefixItems)) types = ['array'];
  else return UNKNOWN;
  if (types.some((type) => !TYPES.has(type))) return UNKNOWN;
  return unionOf(types.map((type) => shapeOfType(type, schema, root, refs)));
}

function shapeOfType(type: string, schema: Schema, root: Schema, refs: Map<string, Shape>): Shape {
  switch (type) {
    case 'string':
      return { kind: 'string' };
    case 'number':
      return { kind: 'number' };
    case 'integer':
      return { kind: 'number', integer: true };
    case 'boolean':
      return { kind: 'boolean' };
    case 'null':
      return NULL_SHAPE;
    case 'object': {
      const properties: { [key: string]: Shape } = {};
      if (isSchema(schema.properties)) {
        for (const [key, value] of Object.entries(schema.properties)) properties[key] = convert(value, root, refs);
      }
      const required = Array.isArray(schema.required)
        ? schema.required.filter((key): key is string => typeof key === 'string')
        : [];
      const additional = schema.additionalProperties;
      const open = additional === undefined || additional === true || isSchema(schema.patternProperties);
      const shape: Shape & { kind: 'object' } = { kind: 'object', properties, required };
      if (open) shape.rest = UNKNOWN;
      else if (additional !== false) shape.rest = convert(additional, root, refs);
      return shape;
    }
    default: {
      const prefix = Array.isArray(schema.prefixItems)
        ? schema.prefixItems.map((item) => convert(item, root, refs))
        : Array.isArray(schema.items)
          ? schema.items.map((item) => convert(item, root, refs))
          : undefined;
      const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
      const items = rest === undefined ? UNKNOWN : convert(rest, root, refs);
      return prefix === undefined ? { kind: 'array', items } : { kind: 'array', items, prefix };
    }
  }
}

function shapeOfValues(values: unknown[]): Shape {
  const strings = values.filter((value): value is string => typeof value === 'string');
  const booleans = values.filter((value): value is boolean => typeof value === 'boolean');
  const shapes: Shape[] = [];
  if (strings.length > 0) shapes.push({ kind: 'string', values: strings });
  if (values.some((value) => typeof value === 'number')) {
    shapes.push({
      kind: 'number',
      integer: values.every((value) => typeof value !== 'number' || Number.isInteger(value)),
    });
  }
  if (booleans.length > 0) shapes.push({ kind: 'boolean', values: [...new Set(booleans)] });
  if (values.includes(null)) shapes.push(NULL_SHAPE);
  // Objects and arrays as constants: only their kind matters here, not their exact keys.
  if (values.some((value) => typeof value === 'object' && value !== null)) shapes.push(UNKNOWN);
  return unionOf(shapes);
}

/** Several schemas that all hold: objects merged (a key one of them declares exists), otherwise the first precise one. */
function mergeAll(shapes: Shape[]): Shape {
  const precise = shapes.filter((shape) => shape.kind !== 'unknown');
  const objects = precise.filter((shape): shape is Shape & { kind: 'object' } => shape.kind === 'object');
  if (objects.length === 0 || objects.length !== precise.length) return precise[0] ?? UNKNOWN;
  const properties: { [key: string]: Shape } = {};
  const required = new Set<string>();
  let closed = true;
  for (const object of objects) {
    for (const [key, value] of Object.entries(object.properties)) properties[key] ??= value;
    for (const key of object.required) required.add(key);
    if (object.rest !== undefined) closed = false;
  }
  const merged: Shape & { kind: 'object' } = { kind: 'object', properties, required: [...required] };
  // Closed members would exclude each other's keys; any key that one of them names is kept, and the rest stays
  // closed only when every member is closed.
  if (!closed) merged.rest = UNKNOWN;
  return merged;
}

function refShape(ref: string, root: Schema, refs: Map<string, Shape>): Shape {
  const known = refs.get(ref);
  if (known) return known;
  if (!ref.startsWith('#')) return UNKNOWN;
  let resolved: Shape | undefined;
  const shape: Shape = {
    kind: 'ref',
    name: ref.slice(ref.lastIndexOf('/') + 1) || 'root',
    target: () => {
      if (resolved === undefined) {
        resolved = UNKNOWN;
        const target = pointer(root, ref.slice(1));
        resolved = target === undefined ? UNKNOWN : convert(target, root, refs);
      }
      return resolved;
    },
  };
  refs.set(ref, shape);
  return shape;
}

/** Follows a JSON Pointer (`/$defs/Node`) from the root schema. */
function pointer(root: Schema, path: string): unknown {
  if (path === '') return root;
  let value: unknown = root;
  for (const raw of path.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isSchema(value) && !Array.isArray(value)) return undefined;
    value = (value as Schema)[key];
  }
  return value;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
