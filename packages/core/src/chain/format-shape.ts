import type { Shape } from './shape';

/** Refs are written out this deep; below, a definition that refers to itself is shown by its name. */
const MAX_REF_DEPTH = 2;
/** String literals longer than this are cut, with an ellipsis. */
const MAX_LITERAL = 40;

/**
 * A shape as a short TypeScript-like type, for error messages and `stepwise check`: `{ text: string; usage: {...} }`,
 * `"a" | "b"`, `string[]`, `unknown`; optional keys end in `?`, an open object ends in `...`; a long string literal
 * is cut after 40 characters (`"The knowledge base is unavailable right…"`).
 *
 * @example
 * ```ts
 * formatShape({ kind: 'union', of: [{ kind: 'string' }, { kind: 'null' }] }); // 'string | null'
 * ```
 */
export function formatShape(shape: Shape): string {
  return write(shape, 0, false);
}

function write(shape: Shape, depth: number, inner: boolean): string {
  switch (shape.kind) {
    case 'unknown':
      return 'unknown';
    case 'string':
      return shape.values ? group(shape.values.map(quote), inner) : 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return shape.values && shape.values.length === 1 ? String(shape.values[0]) : 'boolean';
    case 'null':
      return 'null';
    case 'object': {
      const parts = Object.entries(shape.properties).map(([key, value]) => {
        const name = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
        const optional = shape.required.includes(key) ? '' : '?';
        return `${name}${optional}: ${write(value, depth, false)}`;
      });
      if (shape.rest !== undefined) {
        parts.push(shape.rest.kind === 'unknown' ? '...' : `[key: string]: ${write(shape.rest, depth, false)}`);
      }
      return parts.length === 0 ? '{}' : `{ ${parts.join('; ')} }`;
    }
    case 'array': {
      if (shape.prefix) {
        const items = shape.prefix.map((item) => write(item, depth, false));
        if (shape.items.kind !== 'unknown') items.push(`...${write(shape.items, depth, true)}[]`);
        return `[${items.join(', ')}]`;
      }
      return `${write(shape.items, depth, true)}[]`;
    }
    case 'union':
      return shape.of.length === 0
        ? 'never'
        : group(
            shape.of.map((member) => write(member, depth, false)),
            inner,
          );
    case 'ref':
      return depth >= MAX_REF_DEPTH ? shape.name : write(shape.target(), depth + 1, inner);
  }
}

function group(parts: string[], inner: boolean): string {
  const unique = [...new Set(parts)];
  const text = unique.join(' | ');
  return inner && unique.length > 1 ? `(${text})` : text;
}

function quote(value: string): string {
  return JSON.stringify(value.length > MAX_LITERAL ? `${value.slice(0, MAX_LITERAL)}…` : value);
}
