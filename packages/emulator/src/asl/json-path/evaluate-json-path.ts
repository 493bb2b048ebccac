import { isJsonObject, isRawNumber, jsonEquals, numberValue } from '../json/java-json';
import type { FilterExpression, FilterOperand, JsonPath, JsonPathSegment } from './parse-json-path';

/** What a path reads: the state's input (`$`), the context object (`$$`) and the variables (`$name`). */
export interface JsonPathScope {
  input: unknown;
  context: unknown;
  variables?: Record<string, unknown> | undefined;
}

/**
 * A path that selects nothing where Jayway requires a result (a definite path). `message` is Jayway's, as Step
 * Functions quotes it (`No results for path: $['a']`).
 */
export class JsonPathNotFoundError extends Error {
  constructor(
    readonly path: JsonPath,
    message: string,
  ) {
    super(message);
    this.name = 'JsonPathNotFoundError';
  }
}

/** A path the emulator cannot evaluate as AWS would, because AWS's behaviour is not known (Jayway functions). */
export class JsonPathUnsupportedError extends Error {
  constructor(
    readonly path: JsonPath,
    reason: string,
  ) {
    super(`The emulator cannot evaluate the JSONPath '${path.text}' as Step Functions would: ${reason}`);
    this.name = 'JsonPathUnsupportedError';
  }
}

/** A variable the path names is not assigned. */
export class JsonPathVariableError extends Error {
  constructor(
    readonly path: JsonPath,
    readonly variable: string,
  ) {
    super(`The variable '$${variable}' is not defined`);
    this.name = 'JsonPathVariableError';
  }
}

/** What {@link findJsonPath} answers for a path that selects nothing. */
export const NOT_FOUND: unique symbol = Symbol('not found');

interface Walk {
  path: JsonPath;
  scope: JsonPathScope;
  current: unknown;
  results: unknown[];
  /** Report a miss with {@link QUIET_MISS} instead of an error with a message (and a stack) nobody reads. */
  quiet: boolean;
}

/** Thrown instead of a {@link JsonPathNotFoundError} in quiet walks. */
const QUIET_MISS = Symbol('quiet miss');

function miss(state: Walk, message: () => string): never {
  if (state.quiet) throw QUIET_MISS;
  throw new JsonPathNotFoundError(state.path, message());
}

function fragment(segment: JsonPathSegment): string {
  switch (segment.kind) {
    case 'property':
      return `[${segment.names.map((name) => `'${name}'`).join(',')}]`;
    case 'index':
      return `[${segment.indexes.join(',')}]`;
    case 'slice':
      return `[${segment.start ?? ''}:${segment.end ?? ''}]`;
    case 'wildcard':
      return '[*]';
    case 'scan':
      return `..${fragment(segment.selector)}`;
    case 'filter':
      return '[?]';
    case 'function':
      return `.${segment.name}()`;
  }
}

function rootText(path: JsonPath): string {
  switch (path.root.kind) {
    case 'context':
      return '$$';
    case 'current':
      return '@';
    case 'variable':
      return `$${path.root.name}`;
    default:
      return '$';
  }
}

function javaClassOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'net.minidev.json.JSONArray';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  if (isRawNumber(value)) return /[.eE]/.test(value.rawJSON) ? 'java.lang.Double' : 'java.math.BigInteger';
  return 'java.util.LinkedHashMap';
}

function walk(state: Walk, value: unknown, index: number, at: string, upstreamDefinite: boolean): void {
  const { segments } = state.path;
  if (index === segments.length) {
    state.results.push(value);
    return;
  }
  const segment = segments[index] as JsonPathSegment;
  const leaf = index === segments.length - 1;
  switch (segment.kind) {
    case 'property': {
      if (!isJsonObject(value)) {
        if (upstreamDefinite) {
          miss(
            state,
            () =>
              `Expected to find an object with property ${fragment(segment)} in path ${at} but found '${javaClassOf(value)}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.`,
          );
        }
        return;
      }
      if (segment.names.length > 1 && leaf) {
        // Jayway merges a union of members at the leaf into one object.
        const merged: Record<string, unknown> = {};
        for (const name of segment.names) if (Object.hasOwn(value, name)) merged[name] = value[name];
        state.results.push(merged);
        return;
      }
      for (const name of segment.names) {
        const path = `${at}['${name}']`;
        if (!Object.hasOwn(value, name)) {
          if (!leaf && upstreamDefinite && segment.names.length === 1) {
            miss(state, () => `Missing property in path ${path}`);
          }
          continue;
        }
        walk(state, value[name], index + 1, path, upstreamDefinite && segment.names.length === 1);
      }
      return;
    }
    case 'index': {
      if (!Array.isArray(value)) {
        if (upstreamDefinite) {
          miss(state, () =>
            value === null
              ? `The path ${at} is null`
              : `Filter: ${fragment(segment)} can only be applied to arrays. Current context is: ${printable(value)}`,
          );
        }
        return;
      }
      for (const wanted of segment.indexes) {
        const effective = wanted < 0 ? value.length + wanted : wanted;
        if (effective < 0 || effective >= value.length) continue;
        walk(state, value[effective], index + 1, `${at}[${wanted}]`, upstreamDefinite && segment.indexes.length === 1);
      }
      return;
    }
    case 'slice': {
      if (!Array.isArray(value)) {
        if (upstreamDefinite) {
          miss(
            state,
            () => `Filter: ${fragment(segment)} can only be applied to arrays. Current context is: ${printable(value)}`,
          );
        }
        return;
      }
      const length = value.length;
      let from = segment.start ?? 0;
      let to = segment.end ?? length;
      if (from < 0) from = Math.max(0, length + from);
      if (to < 0) to = length + to;
      to = Math.min(to, length);
      for (let item = from; item < to; item++) walk(state, value[item], index + 1, `${at}[${item}]`, false);
      return;
    }
    case 'wildcard': {
      if (Array.isArray(value)) {
        value.forEach((item, position) => {
          walk(state, item, index + 1, `${at}[${position}]`, false);
        });
      } else if (isJsonObject(value)) {
        for (const [key, item] of Object.entries(value)) walk(state, item, index + 1, `${at}['${key}']`, false);
      }
      return;
    }
    case 'scan': {
      scan(state, value, index, at);
      return;
    }
    case 'filter': {
      if (Array.isArray(value)) {
        value.forEach((item, position) => {
          if (test(segment.expression, item, state.scope)) walk(state, item, index + 1, `${at}[${position}]`, false);
        });
      } else if (isJsonObject(value)) {
        if (test(segment.expression, value, state.scope)) walk(state, value, index + 1, at, false);
      }
      return;
    }
    case 'function':
      throw new JsonPathUnsupportedError(state.path, `Jayway function ${segment.name}() is not emulated`);
  }
}

/** A deep scan: apply the selector to the node, then to every descendant, in document order. */
function scan(state: Walk, value: unknown, index: number, at: string): void {
  const segment = state.path.segments[index] as Extract<JsonPathSegment, { kind: 'scan' }>;
  const selector = segment.selector;
  const sub: JsonPath = { ...state.path, segments: [selector, ...state.path.segments.slice(index + 1)] };
  const subState: Walk = { ...state, path: sub };
  const visit = (node: unknown, path: string) => {
    if (selector.kind === 'property' && !isJsonObject(node)) {
      // a member selector only applies to objects
    } else if (
      (selector.kind === 'index' || selector.kind === 'slice' || selector.kind === 'filter') &&
      !Array.isArray(node)
    ) {
      // array selectors only apply to arrays
    } else {
      walk(subState, node, 0, path, false);
    }
    if (Array.isArray(node)) {
      node.forEach((item, position) => {
        if (typeof item === 'object' && item !== null && !isRawNumber(item)) visit(item, `${path}[${position}]`);
      });
    } else if (isJsonObject(node)) {
      for (const [key, item] of Object.entries(node)) {
        if (typeof item === 'object' && item !== null && !isRawNumber(item)) visit(item, `${path}['${key}']`);
      }
    }
  };
  visit(value, at);
}

function printable(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function operandValue(operand: FilterOperand, current: unknown, scope: JsonPathScope): unknown {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'regex') return operand.regex;
  const result = tryEvaluate(operand.path, scope, current);
  return result;
}

function tryEvaluate(path: JsonPath, scope: JsonPathScope, current: unknown): unknown {
  return evaluateFrom(path, scope, current, true);
}

function compare(left: unknown, right: unknown): number | undefined {
  const a = numberValue(left);
  const b = numberValue(right);
  if (a !== undefined && b !== undefined) return a - b;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return undefined;
}

function test(expression: FilterExpression, current: unknown, scope: JsonPathScope): boolean {
  switch (expression.kind) {
    case 'and':
      return test(expression.left, current, scope) && test(expression.right, current, scope);
    case 'or':
      return test(expression.left, current, scope) || test(expression.right, current, scope);
    case 'not':
      return !test(expression.operand, current, scope);
    case 'exists': {
      const value = operandValue(expression.operand, current, scope);
      return value !== NOT_FOUND && !(Array.isArray(value) && expression.operand.kind === 'path' && !value.length);
    }
    case 'compare': {
      const left = operandValue(expression.left, current, scope);
      const right = operandValue(expression.right, current, scope);
      if (left === NOT_FOUND || right === NOT_FOUND) return expression.operator === '!=';
      switch (expression.operator) {
        case '==':
          return jsonEquals(left, right);
        case '!=':
          return !jsonEquals(left, right);
        case '=~':
          return right instanceof RegExp && typeof left === 'string' && right.test(left);
        case 'in':
          return Array.isArray(right) && right.some((item) => jsonEquals(left, item));
        case 'nin':
          return Array.isArray(right) && !right.some((item) => jsonEquals(left, item));
        default: {
          const order = compare(left, right);
          if (order === undefined) return false;
          if (expression.operator === '<') return order < 0;
          if (expression.operator === '<=') return order <= 0;
          if (expression.operator === '>') return order > 0;
          return order >= 0;
        }
      }
    }
  }
}

function evaluateFrom(path: JsonPath, scope: JsonPathScope, current: unknown, quiet = false): unknown {
  let root: unknown;
  switch (path.root.kind) {
    case 'input':
      root = scope.input;
      break;
    case 'context':
      root = scope.context;
      break;
    case 'current':
      root = current;
      break;
    case 'variable': {
      const variables = scope.variables ?? {};
      if (!Object.hasOwn(variables, path.root.name)) throw new JsonPathVariableError(path, path.root.name);
      root = variables[path.root.name];
      break;
    }
  }
  if (path.segments.length === 0) return root;
  const state: Walk = { path, scope, current, results: [], quiet };
  try {
    // Jayway raises on a missing member or a mistyped value only when the whole path is definite.
    walk(state, root, 0, rootText(path), path.definite);
  } catch (error) {
    if (error === QUIET_MISS) return NOT_FOUND;
    throw error;
  }
  if (!path.definite) return state.results;
  if (state.results.length === 0) {
    if (quiet) return NOT_FOUND;
    throw new JsonPathNotFoundError(
      path,
      `No results for path: ${rootText(path)}${path.segments.map(fragment).join('')}`,
    );
  }
  return state.results[0];
}

/**
 * Evaluates a parsed JSONPath as Jayway does with Step Functions' settings: a definite path yields its one value or
 * throws {@link JsonPathNotFoundError}; an indefinite path (wildcards, slices, unions, scans, filters) yields the array
 * of what it selects, possibly empty.
 * @example
 * evaluateJsonPath(parseJsonPath('$.a[1]'), { input: { a: [1, 2] }, context: {} }); // 2
 * evaluateJsonPath(parseJsonPath('$.a[*].b'), { input: { a: [{ b: 1 }, {}] }, context: {} }); // [1]
 */
export function evaluateJsonPath(path: JsonPath, scope: JsonPathScope): unknown {
  return evaluateFrom(path, scope, undefined);
}

/**
 * Like {@link evaluateJsonPath}, but a path that selects nothing answers {@link NOT_FOUND} instead of throwing (Choice
 * rules test presence on every evaluation).
 * @example
 * findJsonPath(parseJsonPath('$.a'), { input: {}, context: {} }) === NOT_FOUND; // true
 */
export function findJsonPath(path: JsonPath, scope: JsonPathScope): unknown {
  return evaluateFrom(path, scope, undefined, true);
}
