import { formatJavaDouble } from '@stepwise/core';

/**
 * JSON as Step Functions sees it: the service parses and prints JSON with Jackson, in Java. A number written with a
 * fraction or an exponent is a Java `double` (`1.0` stays `1.0`, `1e21` prints `1.0E21`); one written without is an
 * integer of any size (`12345678901234567890` stays exact). JavaScript numbers lose both, so such numbers are held as
 * `JSON.rawJSON` values carrying their Java text, which `JSON.stringify` prints as is. Every other number is a plain
 * JavaScript number: an integer when it has no fraction, else a double.
 */

/** A number held as its Java text (`JSON.rawJSON`). */
export interface RawNumber {
  readonly rawJSON: string;
}

interface JsonWithRaw {
  rawJSON(text: string): RawNumber;
  isRawJSON(value: unknown): value is RawNumber;
  parse(text: string, reviver: (key: string, value: unknown, context: { source?: string }) => unknown): unknown;
}

const json = JSON as unknown as JsonWithRaw;

/** Whether a value is a number held as its Java text. */
export function isRawNumber(value: unknown): value is RawNumber {
  return typeof value === 'object' && value !== null && json.isRawJSON(value);
}

/**
 * Whether a value is a JSON number (plain or held as Java text).
 * @example
 * isJsonNumber(1); // true
 * isJsonNumber(parseJson('1.0')); // true
 */
export function isJsonNumber(value: unknown): value is number | RawNumber {
  return typeof value === 'number' || isRawNumber(value);
}

/**
 * The numeric value of a JSON number, or `undefined` for anything else.
 * @example
 * numberValue(parseJson('1.0')); // 1
 */
export function numberValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (isRawNumber(value)) return Number(value.rawJSON);
  return undefined;
}

/** Whether a JSON number is a Java double (written with a fraction or an exponent, or computed as one). */
export function isJavaDouble(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isInteger(value);
  return isRawNumber(value) && /[.eE]/.test(value.rawJSON);
}

export { formatJavaDouble };

/**
 * A JSON number as Jackson prints it: integers as digits, doubles as Java's `Double.toString`.
 * @example
 * formatJavaNumber(3); // '3'
 * formatJavaNumber(0.5); // '0.5'
 * formatJavaNumber(parseJson('2.0')); // '2.0'
 */
export function formatJavaNumber(value: number | RawNumber): string {
  if (typeof value !== 'number') return value.rawJSON;
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return Object.is(value, -0) ? '0' : String(value);
  return formatJavaDouble(value);
}

/**
 * A JSON number that Jackson would read from `text`: a plain number when JavaScript prints it the Java way, else the
 * Java text.
 * @example
 * javaNumber('1.0'); // prints as 1.0
 */
export function javaNumber(text: string): number | RawNumber {
  const value = Number(text);
  if (!Number.isFinite(value)) {
    // Beyond a double: whether Jackson reads it as a BigDecimal or fails is not known.
    throw new RangeError(
      `The emulator cannot know how Step Functions reads the number ${text}: it is beyond a double.`,
    );
  }
  if (/[.eE]/.test(text)) {
    return Number.isInteger(value) ? json.rawJSON(formatJavaDouble(value)) : value;
  }
  if (Number.isSafeInteger(value)) return Object.is(value, -0) ? 0 : value;
  return json.rawJSON(text.replace(/^(-?)0+(?=\d)/, '$1'));
}

/** A double computed at run time, held so that it prints as Java prints doubles (`2.0`). */
export function javaDouble(value: number): number | RawNumber {
  return Number.isInteger(value) ? json.rawJSON(formatJavaDouble(value)) : value;
}

/** Numbers that JavaScript would print other than Java: integral doubles and long integers. */
const NEEDS_SOURCE = /\d[.eE][\d+-]|\d{16}|[eE]\+?\d{3}/;

function revive(_key: string, value: unknown, context: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return javaNumber(context?.source ?? String(value));
  if (typeof value === 'number' && context?.source !== undefined) {
    const source = context.source;
    if (/[.eE]/.test(source) ? Number.isInteger(value) : !Number.isSafeInteger(value)) return javaNumber(source);
  }
  return value;
}

/**
 * Parses JSON as Jackson does: numbers keep their Java form (`1.0`, long integers).
 * @throws SyntaxError on invalid JSON.
 * @example
 * stringifyJson(parseJson('{"a": 1.0}')); // '{"a":1.0}'
 */
export function parseJson(text: string): unknown {
  return NEEDS_SOURCE.test(text) ? json.parse(text, revive) : JSON.parse(text);
}

function javaReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !(Number.isInteger(value) && Math.abs(value) < 1e21)) {
    return json.rawJSON(formatJavaDouble(value));
  }
  return value;
}

/**
 * Prints a JSON value compactly as Jackson does (doubles `1.0E-5`, integral doubles `2.0`).
 * @example
 * stringifyJson({ a: 1e-5, b: [1, 'x'] }); // '{"a":1.0E-5,"b":[1,"x"]}'
 */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, javaReplacer) ?? 'null';
}

/**
 * Whether two JSON values are equal (objects key by key in any order, arrays item by item, numbers by value).
 * @example
 * jsonEquals({ a: [1] }, { a: [1] }); // true
 */
export function jsonEquals(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  const a = numberValue(left);
  if (a !== undefined) return a === numberValue(right);
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, index) => jsonEquals(item, right[index]));
  }
  if (Array.isArray(right) || isRawNumber(right)) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every(
    (key) =>
      Object.hasOwn(right, key) &&
      jsonEquals((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]),
  );
}

/**
 * Whether a value is a JSON object (not an array, not null, not a number held as text).
 * @example
 * isJsonObject({}); // true
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !json.isRawJSON(value);
}

/**
 * The value with every number held as Java text turned into a plain number, for code outside the interpreter (task
 * handlers, fake models). Values without such numbers are returned as they are.
 * @example
 * plainJson(parseJson('{"a":1.0}')); // { a: 1 }
 */
export function plainJson(value: unknown): unknown {
  if (isRawNumber(value)) return Number(value.rawJSON);
  if (Array.isArray(value)) return value.some(needsPlain) ? value.map(plainJson) : value;
  if (isJsonObject(value)) {
    if (!Object.values(value).some(needsPlain)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plainJson(item);
    return out;
  }
  return value;
}

function needsPlain(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (isRawNumber(value)) return true;
  if (Array.isArray(value)) return value.some(needsPlain);
  return Object.values(value).some(needsPlain);
}
