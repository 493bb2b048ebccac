import { ChainDefinitionError } from '../errors/chain-definition-error';
import { getPath, type ParsedPath, parsePath } from '../template/path';
import type { Condition } from './condition';

/**
 * Evaluates a condition against a state document with ASL Choice semantics: a comparison on a missing path is
 * false (`ne` too), types never coerce, and `matches` treats `*` as any run of characters (`\\*` is a literal star).
 *
 * @example
 * ```ts
 * evaluateCondition(isTrue('steps.check.value'), { steps: { check: { value: true } } }); // true
 * ```
 */
export function evaluateCondition(condition: Condition, state: unknown): boolean {
  switch (condition.op) {
    case 'and':
      for (const inner of condition.conditions) if (!evaluateCondition(inner, state)) return false;
      return true;
    case 'or':
      for (const inner of condition.conditions) if (evaluateCondition(inner, state)) return true;
      return false;
    case 'not':
      return !evaluateCondition(condition.condition, state);
  }
  const { found, value } = getPath(state, conditionPath(condition));
  if (condition.op === 'exists') return found;
  if (!found) return false;
  switch (condition.op) {
    case 'isTrue':
      return value === true;
    case 'isFalse':
      return value === false;
    case 'eq':
      return value === condition.value;
    case 'ne':
      return value !== condition.value;
    case 'matches':
      return typeof value === 'string' && wildcard(condition.pattern).test(value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const expected = condition.value;
      if (typeof value !== typeof expected || (typeof value !== 'number' && typeof value !== 'string')) return false;
      const a = value as number | string;
      if (condition.op === 'gt') return a > expected;
      if (condition.op === 'gte') return a >= expected;
      if (condition.op === 'lt') return a < expected;
      return a <= expected;
    }
    default:
      return false;
  }
}

/**
 * The parsed path of each condition object, parsed on its first evaluation rather than on every one (a chain's
 * conditions are evaluated on every run). The path text is kept with it, so a condition edited afterwards is parsed
 * again.
 */
const parsedPaths = new WeakMap<object, ParsedPath>();

function conditionPath(condition: { path: string }): ParsedPath {
  const cached = parsedPaths.get(condition);
  if (cached !== undefined && cached.source === condition.path) return cached;
  const path = parsePath(condition.path);
  if (!path) throw new ChainDefinitionError(`Condition path "${condition.path}" is not a valid path.`);
  parsedPaths.set(condition, path);
  return path;
}

const patterns = new Map<string, RegExp>();

function wildcard(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (regex) return regex;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[++i]}`;
    } else if (char === '*') {
      source += '[\\s\\S]*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  regex = new RegExp(`^${source}$`);
  patterns.set(pattern, regex);
  return regex;
}
