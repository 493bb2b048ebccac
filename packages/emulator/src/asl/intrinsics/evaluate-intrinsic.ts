import { createHash, randomUUID } from 'node:crypto';
import { RuntimeFault } from '../errors';
import {
  formatJavaNumber,
  isJsonNumber,
  isJsonObject,
  jsonEquals,
  numberValue,
  parseJson,
  stringifyJson,
} from '../json/java-json';
import { evaluateJsonPath, type JsonPathScope } from '../json-path/evaluate-json-path';
import type { IntrinsicArgument, IntrinsicCall } from './parse-intrinsic';

/** What an intrinsic function call reads and draws from. */
export interface IntrinsicScope extends JsonPathScope {
  /** The field being evaluated (`value.$`), for messages. */
  field: string;
  /** Source of `States.MathRandom` draws, in [0, 1). */
  random: () => number;
  /** Turns a path that selects nothing into the service's error. */
  notFound: (path: string, error: Error) => never;
}

/** Step Functions caps the strings of Base64Encode, Base64Decode and Hash at 10,000 characters. */
const MAX_STRING = 10_000;
/** Java's largest int. */
const INT_MAX = 2_147_483_647;
/** ArrayRange yields at most 1,000 items. */
const MAX_RANGE = 1_000;
const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function fail(call: IntrinsicCall, reason: string): never {
  throw new RuntimeFault(`The function ${call.name} failed: ${reason}`);
}

function arity(call: IntrinsicCall, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    fail(call, `it takes ${expected} argument(s), got ${args.length}`);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isJsonNumber(value)) return 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function stringArg(call: IntrinsicCall, value: unknown, what: string): string {
  if (typeof value !== 'string') fail(call, `${what} must be a string, not ${typeName(value)}`);
  return value;
}

function arrayArg(call: IntrinsicCall, value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) fail(call, `${what} must be an array, not ${typeName(value)}`);
  return value;
}

function integerArg(call: IntrinsicCall, value: unknown, what: string): number {
  const number = numberValue(value);
  if (number === undefined) fail(call, `${what} must be a number, not ${typeName(value)}`);
  if (!Number.isInteger(number)) fail(call, `${what} must be an integer, not ${formatJavaNumber(number)}`);
  return number;
}

/**
 * An argument of `States.Format` as the service prints it into the template: Java's `toString` of the value. Strings
 * are printed bare, at any depth; an object prints as a Java map (`{Arg1=1, Arg2=[]}`), an array as a Java list
 * (`[a, 1]`).
 */
function formatted(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (isJsonNumber(value)) return formatJavaNumber(value);
  if (Array.isArray(value)) return `[${value.map(formatted).join(', ')}]`;
  if (isJsonObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${formatted(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function format(call: IntrinsicCall, raw: string, args: unknown[]): string {
  let out = '';
  let next = 0;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index] as string;
    if (char === '\\') {
      out += raw[index + 1] ?? '';
      index++;
    } else if (char === '{' && raw[index + 1] === '}') {
      if (next >= args.length) fail(call, 'the template has more placeholders {} than arguments');
      out += formatted(args[next++]);
      index++;
    } else {
      out += char;
    }
  }
  if (next < args.length) fail(call, 'the template has fewer placeholders {} than arguments');
  return out;
}

/** `Math.round` as Java rounds: halves up, toward positive infinity. */
function javaRound(value: number): number {
  return Math.floor(value + 0.5);
}

function evaluateArgument(argument: IntrinsicArgument, scope: IntrinsicScope): unknown {
  switch (argument.kind) {
    case 'string':
      return argument.value;
    case 'number':
      return argument.value;
    case 'boolean':
      return argument.value;
    case 'null':
      return null;
    case 'path':
      try {
        return evaluateJsonPath(argument.path, scope);
      } catch (error) {
        return scope.notFound(argument.path.text, error as Error);
      }
    case 'call':
      return evaluateIntrinsic(argument, scope);
  }
}

/**
 * Evaluates a parsed intrinsic function call with Step Functions' semantics (as recorded on AWS): `StringSplit` splits
 * on any of the delimiter's characters and drops empty strings, `StringToJson` of a blank string is `null`, `MathAdd`
 * rounds each operand half up, `Format` prints numbers as Java does.
 * @throws RuntimeFault when the arguments are not what the function takes.
 * @example
 * evaluateIntrinsic(parseIntrinsic("States.StringSplit('a,,b', ',')"), scope); // ['a', 'b']
 */
export function evaluateIntrinsic(call: IntrinsicCall, scope: IntrinsicScope): unknown {
  const args = call.args.map((argument) => evaluateArgument(argument, scope));
  switch (call.name) {
    case 'States.Format': {
      if (args.length < 1) fail(call, 'it takes a template and its arguments');
      const template = call.args[0];
      if (template?.kind === 'string') return format(call, template.raw, args.slice(1));
      const text = stringArg(call, args[0], 'the template');
      return format(call, text, args.slice(1));
    }
    case 'States.StringToJson': {
      arity(call, args, 1);
      const text = stringArg(call, args[0], 'the argument');
      if (text.trim() === '') return null;
      try {
        return parseJson(text);
      } catch {
        return fail(call, `the string is not valid JSON: ${text}`);
      }
    }
    case 'States.JsonToString':
      arity(call, args, 1);
      return stringifyJson(args[0]);
    case 'States.Array':
      return args;
    case 'States.ArrayPartition': {
      arity(call, args, 2);
      const array = arrayArg(call, args[0], 'the first argument');
      const size = integerArg(call, args[1], 'the chunk size');
      if (size <= 0) fail(call, 'the chunk size must be greater than 0');
      const chunks: unknown[][] = [];
      for (let start = 0; start < array.length; start += size) chunks.push(array.slice(start, start + size));
      return chunks;
    }
    case 'States.ArrayContains': {
      arity(call, args, 2);
      const array = arrayArg(call, args[0], 'the first argument');
      return array.some((item) => jsonEquals(item, args[1]));
    }
    case 'States.ArrayRange': {
      arity(call, args, 3);
      // Numbers that are not integers are rounded to the nearest integer; the step must be positive.
      const [start, end, step] = args.map((arg, index) =>
        javaRound(numberValue(arg) ?? fail(call, `argument ${index + 1} must be a number, not ${typeName(arg)}`)),
      ) as [number, number, number];
      if (step <= 0) fail(call, 'the step must be greater than 0');
      const count = end < start ? 0 : Math.floor((end - start) / step) + 1;
      if (count > MAX_RANGE) fail(call, `the range has ${count} items, more than ${MAX_RANGE}`);
      return Array.from({ length: count }, (_, index) => start + index * step);
    }
    case 'States.ArrayGetItem': {
      arity(call, args, 2);
      const array = arrayArg(call, args[0], 'the first argument');
      const index = integerArg(call, args[1], 'the index');
      if (index < 0 || index >= array.length) fail(call, `the index ${index} is out of bounds`);
      return array[index];
    }
    case 'States.ArrayLength':
      arity(call, args, 1);
      return arrayArg(call, args[0], 'the argument').length;
    case 'States.ArrayUnique': {
      arity(call, args, 1);
      const unique: unknown[] = [];
      for (const item of arrayArg(call, args[0], 'the argument')) {
        if (!unique.some((seen) => jsonEquals(seen, item))) unique.push(item);
      }
      return unique;
    }
    case 'States.Base64Encode': {
      arity(call, args, 1);
      const text = stringArg(call, args[0], 'the argument');
      if (text.length > MAX_STRING) fail(call, `the string is longer than ${MAX_STRING} characters`);
      return Buffer.from(text, 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      arity(call, args, 1);
      const text = stringArg(call, args[0], 'the argument');
      if (text.length > MAX_STRING) fail(call, `the string is longer than ${MAX_STRING} characters`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) fail(call, 'the string is not base64');
      return Buffer.from(text, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      arity(call, args, 2);
      const algorithm = stringArg(call, args[1], 'the algorithm');
      const hash = HASHES[algorithm];
      if (!hash) fail(call, `the algorithm must be one of ${Object.keys(HASHES).join(', ')}`);
      const text = stringArg(call, args[0], 'the data');
      if (text.length > MAX_STRING) fail(call, `the string is longer than ${MAX_STRING} characters`);
      return createHash(hash).update(text, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      arity(call, args, 3);
      const [left, right, deep] = args;
      if (!isJsonObject(left) || !isJsonObject(right)) fail(call, 'the first two arguments must be JSON objects');
      if (deep !== false) fail(call, 'only a shallow merge is supported: the third argument must be false');
      return { ...left, ...right };
    }
    case 'States.MathRandom': {
      arity(call, args, 2, 3);
      // A start or end that is not an integer is rounded to the nearest integer (AWS's documentation).
      const start = javaRound(numberValue(args[0]) ?? fail(call, 'the start must be a number'));
      const end = javaRound(numberValue(args[1]) ?? fail(call, 'the end must be a number'));
      if (args.length === 3 && numberValue(args[2]) === undefined) fail(call, 'the seed must be a number');
      if (end < start) fail(call, 'the end must not be less than the start');
      return Math.min(end, start + Math.floor(scope.random() * (end - start + 1)));
    }
    case 'States.MathAdd': {
      arity(call, args, 2);
      const left = numberValue(args[0]) ?? fail(call, 'the first argument must be a number');
      const right = numberValue(args[1]) ?? fail(call, 'the second argument must be a number');
      const sum = javaRound(left) + javaRound(right);
      if ([left, right, sum].some((value) => Math.abs(value) > INT_MAX)) {
        // Neither documented nor recorded: whether AWS adds as 32-bit integers (overflowing) or as longs.
        throw new RuntimeFault(
          `The emulator cannot know how Step Functions evaluates ${call.name} beyond 32-bit integers (${formatJavaNumber(left)}, ${formatJavaNumber(right)}).`,
        );
      }
      return sum;
    }
    case 'States.StringSplit': {
      arity(call, args, 2);
      const text = stringArg(call, args[0], 'the first argument');
      const delimiters = new Set(stringArg(call, args[1], 'the delimiter'));
      const parts: string[] = [];
      let part = '';
      for (const char of text) {
        if (delimiters.has(char)) {
          if (part) parts.push(part);
          part = '';
        } else part += char;
      }
      if (part) parts.push(part);
      return parts;
    }
    case 'States.UUID':
      arity(call, args, 0);
      return randomUUID();
  }
}
