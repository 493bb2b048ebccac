/**
 * What a value in the execution state can look like, as `defineChain` knows it: the shape of the chain's input
 * (from its JSON Schema) and of every step's output (decision 0001). `unknown` is a value nothing is known about
 * (a task without an output schema, an input without a schema, `additionalProperties`): any path below it may
 * exist. An object without `rest` has no keys but its `properties`; `rest` is the shape of any other key.
 * A `ref` is a named JSON Schema definition, resolved when needed (definitions may be recursive).
 *
 * @example
 * ```ts
 * const usage: Shape = {
 *   kind: 'object',
 *   properties: { inputTokens: { kind: 'number', integer: true }, outputTokens: { kind: 'number', integer: true } },
 *   required: ['inputTokens', 'outputTokens'],
 * };
 * ```
 */
export type Shape =
  | { kind: 'unknown' }
  | { kind: 'string'; values?: readonly string[] }
  | { kind: 'number'; integer?: boolean }
  | { kind: 'boolean'; values?: readonly boolean[] }
  | { kind: 'null' }
  | { kind: 'object'; properties: { readonly [key: string]: Shape }; required: readonly string[]; rest?: Shape }
  | { kind: 'array'; items: Shape; prefix?: readonly Shape[] }
  | { kind: 'union'; of: readonly Shape[] }
  | { kind: 'ref'; name: string; target: () => Shape };

/**
 * The kind of a shape that is not a union or a ref.
 *
 * @example
 * ```ts
 * const kinds = new Set<ShapeKind>(alternativesOf(shape).map((one) => one.kind));
 * ```
 */
export type ShapeKind = Exclude<Shape['kind'], 'union' | 'ref'>;

/**
 * A shape that is not a union or a ref: one alternative of what a value can be.
 *
 * @example
 * ```ts
 * for (const one of alternativesOf(shape)) if (one.kind === 'object') console.log(Object.keys(one.properties));
 * ```
 */
export type ShapeAlternative = Exclude<Shape, { kind: 'union' } | { kind: 'ref' }>;

/** Refs resolved this deep in one flattening are cut off as `unknown` (a definition that only refers to itself). */
const MAX_REF_DEPTH = 32;

/**
 * The alternatives of a shape: unions flattened, refs resolved, duplicates of `unknown` dropped. A shape that no
 * value has (`false` in JSON Schema) has no alternatives.
 *
 * @example
 * ```ts
 * alternativesOf({ kind: 'union', of: [{ kind: 'string' }, { kind: 'null' }] }); // [{ kind: 'string' }, { kind: 'null' }]
 * ```
 */
export function alternativesOf(shape: Shape): ShapeAlternative[] {
  const out: ShapeAlternative[] = [];
  flatten(shape, out, 0);
  return out;
}

function flatten(shape: Shape, out: ShapeAlternative[], depth: number): void {
  if (shape.kind === 'union') {
    for (const member of shape.of) flatten(member, out, depth);
  } else if (shape.kind === 'ref') {
    if (depth >= MAX_REF_DEPTH) out.push(UNKNOWN);
    else flatten(shape.target(), out, depth + 1);
  } else if (!(shape.kind === 'unknown' && out.some((one) => one.kind === 'unknown'))) {
    out.push(shape);
  }
}

/**
 * A shape that any of `shapes` may be: the one shape itself when there is one, a union otherwise (nested unions
 * are kept flat). No shapes make the shape of no value.
 *
 * @example
 * ```ts
 * unionOf([{ kind: 'string' }, NULL_SHAPE]); // { kind: 'union', of: [{ kind: 'string' }, { kind: 'null' }] }
 * ```
 */
export function unionOf(shapes: readonly Shape[]): Shape {
  const of: Shape[] = [];
  for (const shape of shapes) {
    if (shape.kind === 'union') of.push(...shape.of);
    else of.push(shape);
  }
  if (of.some((shape) => shape.kind === 'unknown')) return UNKNOWN;
  return of.length === 1 ? of[0]! : { kind: 'union', of };
}

/**
 * Nothing is known about the value: any path below it may exist.
 *
 * @example
 * ```ts
 * const handlerOutput: Shape = UNKNOWN;
 * ```
 */
export const UNKNOWN: Shape & { kind: 'unknown' } = { kind: 'unknown' };

/**
 * The JSON `null`.
 *
 * @example
 * ```ts
 * const chooseWithoutOtherwise = unionOf([caseOutput, NULL_SHAPE]);
 * ```
 */
export const NULL_SHAPE: Shape & { kind: 'null' } = { kind: 'null' };

/**
 * An object whose keys are all present, and no other.
 *
 * @example
 * ```ts
 * closedObject({ text: { kind: 'string' } }); // { kind: 'object', properties: { text: ... }, required: ['text'] }
 * ```
 */
export function closedObject(properties: { [key: string]: Shape }): Shape {
  return { kind: 'object', properties, required: Object.keys(properties) };
}
