import { canonicalJson } from './canonical-json';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The first place two JSON values differ, and how: `<type> vs <type>`, `number`, `string`, `boolean`,
 * `array length`, `key only local`, `key only sfn`.
 *
 * @example
 * ```ts
 * firstDifference({ a: [1, 2] }, { a: [1, 3] }); // { path: '.a[1]', how: 'number', local: 2, sfn: 3 }
 * ```
 */
export function firstDifference(
  local: unknown,
  sfn: unknown,
  path = '',
): { path: string; how: string; local: unknown; sfn: unknown } | undefined {
  if (canonicalJson(local) === canonicalJson(sfn)) return undefined;
  const [lt, st] = [typeOf(local), typeOf(sfn)];
  if (lt !== st) return { path, how: `${lt} vs ${st}`, local, sfn };
  if (lt === 'array') {
    const [l, s] = [local as unknown[], sfn as unknown[]];
    for (let index = 0; index < Math.min(l.length, s.length); index++) {
      const inner = firstDifference(l[index], s[index], `${path}[${index}]`);
      if (inner) return inner;
    }
    return { path, how: 'array length', local: l.length, sfn: s.length };
  }
  if (lt === 'object') {
    const [l, s] = [local as Record<string, unknown>, sfn as Record<string, unknown>];
    const keys = new Set([...Object.keys(l), ...Object.keys(s)]);
    for (const key of [...keys].sort()) {
      if (!(key in l) || !(key in s)) {
        return {
          path: `${path}.${key}`,
          how: key in l ? 'key only local' : 'key only sfn',
          local: l[key],
          sfn: s[key],
        };
      }
      const inner = firstDifference(l[key], s[key], `${path}.${key}`);
      if (inner) return inner;
    }
  }
  return { path, how: lt, local, sfn };
}
