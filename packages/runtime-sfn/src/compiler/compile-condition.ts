import { ChainDefinitionError, type Condition, parsePath, toJsonPath } from '@stepwise/core';
import type { AslJson } from './asl-types';
import type { PathCompiler } from './compile-template';

type Rule = { [key: string]: AslJson };

function variable(path: string, jsonPath: PathCompiler): string {
  const parsed = parsePath(path);
  if (!parsed) throw new ChainDefinitionError(`Condition path "${path}" is not a valid path.`);
  return jsonPath(parsed);
}

/** The type test and comparison of `value`, without the presence guard. */
function typed(
  v: string,
  value: string | number | boolean | null,
  op: 'Equals' | 'GreaterThan' | 'GreaterThanEquals' | 'LessThan' | 'LessThanEquals',
): Rule[] {
  if (value === null) return [{ Variable: v, IsNull: true }];
  if (typeof value === 'string')
    return [
      { Variable: v, IsString: true },
      { Variable: v, [`String${op}`]: value },
    ];
  if (typeof value === 'number')
    return [
      { Variable: v, IsNumeric: true },
      { Variable: v, [`Numeric${op}`]: value },
    ];
  return [
    { Variable: v, IsBoolean: true },
    { Variable: v, BooleanEquals: value },
  ];
}

const OPS = {
  eq: 'Equals',
  gt: 'GreaterThan',
  gte: 'GreaterThanEquals',
  lt: 'LessThan',
  lte: 'LessThanEquals',
} as const;

/**
 * Compiles a condition to an ASL Choice rule (without `Next`) with `evaluateCondition`'s semantics: a comparison on a
 * missing path is false (`ne` too), so every comparison is guarded by `IsPresent`; types never coerce, so every
 * comparison is guarded by `IsString` / `IsNumeric` / `IsBoolean` / `IsNull`.
 * @internal
 */
export function compileCondition(condition: Condition, jsonPath: PathCompiler = toJsonPath): Rule {
  const inner = (entry: Condition) => compileCondition(entry, jsonPath);
  switch (condition.op) {
    case 'and':
      if (condition.conditions.length === 1) return inner(condition.conditions[0]!);
      return { And: condition.conditions.map(inner) };
    case 'or':
      if (condition.conditions.length === 1) return inner(condition.conditions[0]!);
      return { Or: condition.conditions.map(inner) };
    case 'not':
      return { Not: inner(condition.condition) };
    case 'exists':
      return { Variable: variable(condition.path, jsonPath), IsPresent: true };
    default:
      break;
  }
  const v = variable(condition.path, jsonPath);
  const present: Rule = { Variable: v, IsPresent: true };
  switch (condition.op) {
    case 'isTrue':
    case 'isFalse':
      return { And: [present, ...typed(v, condition.op === 'isTrue', 'Equals')] };
    case 'matches':
      return { And: [present, { Variable: v, IsString: true }, { Variable: v, StringMatches: condition.pattern }] };
    case 'eq':
      return { And: [present, ...typed(v, condition.value, 'Equals')] };
    case 'ne': {
      const test = typed(v, condition.value, 'Equals');
      return { And: [present, { Not: test.length === 1 ? test[0]! : { And: test } }] };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { And: [present, ...typed(v, condition.value, OPS[condition.op])] };
    default:
      throw new ChainDefinitionError(`Unknown condition "${(condition as { op: string }).op}".`);
  }
}
