import { AslError } from './errors';
import { isJsonObject } from './json/java-json';
import { parseJsonPath } from './json-path/parse-json-path';

/**
 * The state's output before OutputPath: `result` written into the state's raw input at `resultPath` (`$` replaces the
 * input, `null` discards the result, `$.a.b` sets that member, creating objects on the way). The input is not
 * modified: the objects on the path are copied.
 * @throws AslError `States.ResultPathMatchFailure` when the path goes through a value that is not an object.
 * @example
 * applyResultPath({ a: 1 }, '$.b', 2); // { a: 1, b: 2 }
 */
export function applyResultPath(input: unknown, resultPath: unknown, result: unknown): unknown {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return input;
  if (typeof resultPath !== 'string') throw new AslError('States.Runtime', 'ResultPath must be a JSONPath or null');
  const path = parseJsonPath(resultPath);
  if (path.root.kind !== 'input') {
    throw new AslError('States.Runtime', `ResultPath '${resultPath}' must be a path of the state's input ($)`);
  }
  const fail = (): never => {
    throw new AslError(
      'States.ResultPathMatchFailure',
      `Unable to apply step "${resultPath}" to input ${JSON.stringify(input)}`,
    );
  };
  const set = (target: unknown, index: number): unknown => {
    const segment = path.segments[index];
    if (segment === undefined) return result;
    if (segment.kind === 'property' && segment.names.length === 1) {
      const name = segment.names[0] as string;
      const base = target === undefined ? {} : target;
      if (!isJsonObject(base)) return fail();
      return { ...base, [name]: set(base[name], index + 1) };
    }
    if (segment.kind === 'index' && segment.indexes.length === 1 && Array.isArray(target)) {
      const wanted = segment.indexes[0] as number;
      const position = wanted < 0 ? target.length + wanted : wanted;
      if (position < 0 || position >= target.length) return fail();
      const copy = [...target];
      copy[position] = set(target[position], index + 1);
      return copy;
    }
    return fail();
  };
  return set(input, 0);
}
