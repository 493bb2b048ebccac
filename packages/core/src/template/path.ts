/**
 * One segment of a state path: an object key or an array index.
 *
 * @example
 * ```ts
 * const segments: PathSegment[] = parsePath('steps.docs.results[0]')!.segments; // ['docs', 'results', 0]
 * ```
 */
export type PathSegment = string | number;

/**
 * The roots a path may start from.
 *
 * @example
 * ```ts
 * const root: PathRoot = parsePath('item.title')!.root; // 'item'
 * ```
 */
export type PathRoot = 'input' | 'steps' | 'item' | 'index';

const ROOTS: ReadonlySet<string> = new Set(['input', 'steps', 'item', 'index']);
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/y;
const ROOT = /^([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * A parsed state path.
 *
 * @example
 * ```ts
 * const path: ParsedPath = parsePath('input.question')!; // { source: 'input.question', root: 'input', segments: ['question'] }
 * ```
 */
export interface ParsedPath {
  /** The path as written. */
  source: string;
  root: PathRoot;
  /** Segments after the root. */
  segments: PathSegment[];
}

/**
 * Parses a state path such as `input.question`, `steps.search.results[0].text`, `item.title` or `index`.
 * Keys are `[A-Za-z_][A-Za-z0-9_]*`, indices are `[n]`. Returns `undefined` for anything else.
 *
 * @example
 * ```ts
 * parsePath('steps.search.results[0].text');
 * // { source: 'steps.search.results[0].text', root: 'steps', segments: ['search', 'results', 0, 'text'] }
 * ```
 */
export function parsePath(source: string): ParsedPath | undefined {
  const head = ROOT.exec(source);
  if (!head || !ROOTS.has(head[1]!)) return undefined;
  const segments: PathSegment[] = [];
  let at = head[1]!.length;
  while (at < source.length) {
    SEGMENT.lastIndex = at;
    const match = SEGMENT.exec(source);
    if (!match) return undefined;
    segments.push(match[1] ?? Number(match[2]));
    at = SEGMENT.lastIndex;
  }
  if (head[1] === 'index' && segments.length > 0) return undefined;
  return { source, root: head[1] as PathRoot, segments };
}

/**
 * Reads a parsed path from a state document. Returns `{ found: false }` when any segment is missing.
 *
 * @example
 * ```ts
 * getPath({ input: { q: 'hi' } }, parsePath('input.q')!); // { found: true, value: 'hi' }
 * ```
 */
export function getPath(state: unknown, path: ParsedPath): { found: boolean; value?: unknown } {
  let value: unknown = (state as Record<string, unknown> | undefined)?.[path.root];
  if (value === undefined) return { found: false };
  for (const segment of path.segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return { found: false };
      value = value[segment];
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) {
        return { found: false };
      }
      value = (value as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value };
}

/**
 * The JSONPath of a state path, as the ASL compiler writes it (`$.steps.search.results[0].text`).
 *
 * @example
 * ```ts
 * toJsonPath(parsePath('input.question')!); // '$.input.question'
 * ```
 */
export function toJsonPath(path: ParsedPath): string {
  let out = `$.${path.root}`;
  for (const segment of path.segments) out += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  return out;
}
