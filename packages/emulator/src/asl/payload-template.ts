import { RuntimeFault } from './errors';
import { evaluateIntrinsic, type IntrinsicScope } from './intrinsics/evaluate-intrinsic';
import { parseIntrinsic } from './intrinsics/parse-intrinsic';
import { isJsonObject, stringifyJson } from './json/java-json';
import {
  evaluateJsonPath,
  JsonPathNotFoundError,
  type JsonPathScope,
  JsonPathUnsupportedError,
  JsonPathVariableError,
} from './json-path/evaluate-json-path';
import { type JsonPath, parseJsonPath } from './json-path/parse-json-path';

/** What a payload template reads. */
export interface TemplateScope extends JsonPathScope {
  random: () => number;
}

type Compiled = (scope: TemplateScope) => unknown;

const compiledTemplates = new WeakMap<object, Compiled>();

/**
 * The service's error for a path that selects nothing: `The JSONPath '$.a' specified for the field 'b.$' could not be
 * found in the input '{...}'`.
 * @internal
 */
export function pathNotFound(path: string, field: string, scope: JsonPathScope, error: Error): never {
  if (error instanceof JsonPathUnsupportedError) throw new RuntimeFault(error.message);
  if (error instanceof JsonPathVariableError) {
    throw new RuntimeFault(
      `The JSONPath '${path}' specified for the field '${field}' could not be found: ${error.message}`,
    );
  }
  if (!(error instanceof JsonPathNotFoundError)) throw error;
  const input = path.startsWith('$$') ? scope.context : scope.input;
  throw new RuntimeFault(
    `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${stringifyJson(input)}'`,
  );
}

/**
 * Reads a path for a field that must find a value (a `.$` field, ErrorPath, ...).
 * @internal
 */
export function readPath(path: JsonPath, field: string, scope: JsonPathScope): unknown {
  try {
    return evaluateJsonPath(path, scope);
  } catch (error) {
    return pathNotFound(path.text, field, scope, error as Error);
  }
}

function compileField(key: string, expression: unknown): Compiled {
  const field = key;
  if (typeof expression !== 'string') {
    return () => {
      throw new RuntimeFault(`The value of the field '${field}' must be a JSONPath or an intrinsic function`);
    };
  }
  if (expression.startsWith('$')) {
    const path = parseJsonPath(expression);
    return (scope) => readPath(path, field, scope);
  }
  const call = parseIntrinsic(expression);
  return (scope) => {
    const intrinsicScope: IntrinsicScope = {
      ...scope,
      field,
      notFound: (path, error) => pathNotFound(path, field, scope, error),
    };
    return evaluateIntrinsic(call, intrinsicScope);
  };
}

function compile(template: unknown): Compiled {
  if (Array.isArray(template)) {
    const items = template.map(compile);
    return (scope) => items.map((item) => item(scope));
  }
  if (!isJsonObject(template)) return () => template;
  const cached = compiledTemplates.get(template);
  if (cached) return cached;
  const fields: [string, Compiled][] = Object.entries(template).map(([key, value]) =>
    key.endsWith('.$') ? [key.slice(0, -2), compileField(key, value)] : [key, compile(value)],
  );
  const compiled: Compiled = (scope) => {
    const out: Record<string, unknown> = {};
    for (const [key, field] of fields) out[key] = field(scope);
    return out;
  };
  compiledTemplates.set(template, compiled);
  return compiled;
}

/**
 * Evaluates a payload template (`Parameters`, `ResultSelector`, `ItemSelector`, JSONPath `Assign`): fields whose name
 * ends in `.$` take the value of their JSONPath or intrinsic function, the others are copied, nested objects and arrays
 * alike. Compiled once per template object.
 * @throws RuntimeFault when a path selects nothing or an intrinsic function fails.
 * @example
 * evaluateTemplate({ 'a.$': '$.x', b: 1 }, { input: { x: 2 }, context: {}, random: Math.random }); // { a: 2, b: 1 }
 */
export function evaluateTemplate(template: unknown, scope: TemplateScope): unknown {
  return compile(template)(scope);
}
