import { RuntimeFault } from './errors';
import { isJsonNumber, numberValue } from './json/java-json';
import { findJsonPath, type JsonPathScope, NOT_FOUND } from './json-path/evaluate-json-path';
import { parseJsonPath } from './json-path/parse-json-path';
import { parseTimestamp } from './timestamp';

/** A Choice rule (JSONPath query language): a comparison on `Variable`, or `And`, `Or`, `Not`. */
export type ChoiceRule = Record<string, unknown>;

const NOT_PRESENT = Symbol('not present');

function read(path: unknown, scope: JsonPathScope, rule: string): unknown {
  if (typeof path !== 'string') throw new RuntimeFault(`The Choice rule field '${rule}' must be a JSONPath`);
  try {
    const value = findJsonPath(parseJsonPath(path), scope);
    return value === NOT_FOUND ? NOT_PRESENT : value;
  } catch (error) {
    throw new RuntimeFault((error as Error).message);
  }
}

function compareStrings(left: string, right: string): number {
  // Java compares strings by UTF-16 code units, as JavaScript does.
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `StringMatches`: `*` matches any run of characters, `\*` a star, `\\` a backslash. */
function matches(text: string, pattern: string): boolean {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '\\' && index + 1 < pattern.length) {
      source += escapeRegex(pattern[++index] as string);
    } else if (char === '*') source += '[\\s\\S]*';
    else source += escapeRegex(char);
  }
  return new RegExp(`^${source}$`).test(text);
}

function escapeRegex(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

const COMPARATORS = [
  'StringEquals',
  'StringLessThan',
  'StringGreaterThan',
  'StringLessThanEquals',
  'StringGreaterThanEquals',
  'StringMatches',
  'NumericEquals',
  'NumericLessThan',
  'NumericGreaterThan',
  'NumericLessThanEquals',
  'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals',
  'TimestampLessThan',
  'TimestampGreaterThan',
  'TimestampLessThanEquals',
  'TimestampGreaterThanEquals',
  'IsNull',
  'IsPresent',
  'IsNumeric',
  'IsString',
  'IsBoolean',
  'IsTimestamp',
] as const;

function order(operator: string, difference: number): boolean {
  if (operator.endsWith('GreaterThanEquals')) return difference >= 0;
  if (operator.endsWith('LessThanEquals')) return difference <= 0;
  if (operator.endsWith('GreaterThan')) return difference > 0;
  if (operator.endsWith('LessThan')) return difference < 0;
  return difference === 0;
}

function compare(operator: string, value: unknown, expected: unknown): boolean {
  if (operator.startsWith('String')) {
    if (typeof value !== 'string' || typeof expected !== 'string') return false;
    if (operator === 'StringMatches') return matches(value, expected);
    return order(operator, compareStrings(value, expected));
  }
  if (operator.startsWith('Numeric')) {
    const left = numberValue(value);
    const right = numberValue(expected);
    if (left === undefined || right === undefined) return false;
    return order(operator, left - right);
  }
  if (operator === 'BooleanEquals') {
    return typeof value === 'boolean' && typeof expected === 'boolean' && value === expected;
  }
  const left = typeof value === 'string' ? parseTimestamp(value) : undefined;
  const right = typeof expected === 'string' ? parseTimestamp(expected) : undefined;
  if (left === undefined || right === undefined) return false;
  return order(operator, left - right);
}

function typeTest(operator: string, value: unknown): boolean {
  switch (operator) {
    case 'IsPresent':
      return value !== NOT_PRESENT;
    case 'IsNull':
      return value === null;
    case 'IsNumeric':
      return isJsonNumber(value);
    case 'IsString':
      return typeof value === 'string';
    case 'IsBoolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string' && parseTimestamp(value) !== undefined;
  }
}

/**
 * Whether a Choice rule holds for the state's input. Comparisons of mistyped values are false; `Is*` tests set to
 * `false` hold when the test fails. Only `IsPresent` may test an absent value.
 * @throws RuntimeFault when the `Variable` (but for `IsPresent`) or a `*Path` comparand is absent.
 * @example
 * evaluateChoiceRule({ Variable: '$.n', NumericGreaterThan: 1 }, { input: { n: 2 }, context: {} }); // true
 */
export function evaluateChoiceRule(rule: ChoiceRule, scope: JsonPathScope): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((inner) => evaluateChoiceRule(inner, scope));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((inner) => evaluateChoiceRule(inner, scope));
  if (rule.Not !== undefined) return !evaluateChoiceRule(rule.Not as ChoiceRule, scope);
  for (const operator of COMPARATORS) {
    const literal = rule[operator];
    const pathOperand = rule[`${operator}Path`];
    if (literal === undefined && pathOperand === undefined) continue;
    const value = read(rule.Variable, scope, 'Variable');
    if (operator === 'IsPresent') {
      if (typeof literal !== 'boolean') throw new RuntimeFault(`The Choice rule field '${operator}' must be a boolean`);
      return typeTest(operator, value) === literal;
    }
    // Only IsPresent may test an absent value: any other operator on one is a run-time error.
    if (value === NOT_PRESENT) {
      throw new RuntimeFault(
        `Invalid path '${String(rule.Variable)}': The choice state's condition path references an invalid value.`,
      );
    }
    if (operator.startsWith('Is')) {
      if (typeof literal !== 'boolean') throw new RuntimeFault(`The Choice rule field '${operator}' must be a boolean`);
      return typeTest(operator, value) === literal;
    }
    let expected = literal;
    if (pathOperand !== undefined) {
      expected = read(pathOperand, scope, `${operator}Path`);
      if (expected === NOT_PRESENT) {
        throw new RuntimeFault(
          `Invalid path '${String(pathOperand)}': The choice state's condition path references an invalid value.`,
        );
      }
    }
    return compare(operator, value, expected);
  }
  throw new RuntimeFault('The Choice rule has no comparison operator');
}
