import type { PathSegment } from '../template/path';
import { alternativesOf, type Shape, type ShapeAlternative, UNKNOWN, unionOf } from './shape';

/**
 * Where a path leads in a shape: the shape of what it may read, or the first segment that cannot exist, with what
 * was there instead (the alternatives before that segment, and the keys they have).
 *
 * @example
 * ```ts
 * const resolution: ShapePathResolution = resolveShapePath(stepOutput, ['valeu']);
 * if (!resolution.found) console.log(resolution.at, resolution.keys); // 0 ['text', 'usage', 'value']
 * ```
 */
export type ShapePathResolution =
  | { found: true; shape: Shape }
  | {
      found: false;
      /** Index of the segment that cannot exist. */
      at: number;
      /** The alternatives reached before it. */
      reached: ShapeAlternative[];
      /** Keys of the objects among them, in order, without duplicates. */
      keys: string[];
    };

/**
 * Follows path segments (keys and array indices) through a shape. A key exists when some alternative is an object
 * that has it (or allows other keys), an index when some alternative is an array; below `unknown` everything
 * exists. The shape found is the union of what every alternative that has the path holds there.
 *
 * @example
 * ```ts
 * resolveShapePath(shapeOfJsonSchema({ type: 'array', items: { type: 'string' } }), [0]); // { found: true, shape: { kind: 'string' } }
 * ```
 */
export function resolveShapePath(root: Shape, segments: readonly PathSegment[]): ShapePathResolution {
  let current = alternativesOf(root);
  for (let at = 0; at < segments.length; at++) {
    const segment = segments[at]!;
    const next: Shape[] = [];
    for (const alternative of current) {
      const inner = step(alternative, segment);
      if (inner !== undefined) next.push(inner);
    }
    const reachable = alternativesOf(unionOf(next));
    if (reachable.length === 0) {
      const keys = new Set<string>();
      for (const alternative of current) {
        if (alternative.kind === 'object') for (const key of Object.keys(alternative.properties)) keys.add(key);
      }
      return { found: false, at, reached: current, keys: [...keys] };
    }
    current = reachable;
  }
  return { found: true, shape: unionOf(current) };
}

function step(shape: ShapeAlternative, segment: PathSegment): Shape | undefined {
  switch (shape.kind) {
    case 'unknown':
      return UNKNOWN;
    case 'object':
      if (typeof segment !== 'string') return undefined;
      return Object.hasOwn(shape.properties, segment) ? shape.properties[segment] : shape.rest;
    case 'array':
      if (typeof segment !== 'number') return undefined;
      return shape.prefix !== undefined && segment < shape.prefix.length ? shape.prefix[segment] : shape.items;
    default:
      return undefined;
  }
}
