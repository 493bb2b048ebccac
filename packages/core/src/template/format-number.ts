/**
 * A double as Java's `Double.toString` prints it, which is how Step Functions prints numbers that are not integers:
 * decimal from 10^-3 up to 10^7 (`1.5`, `0.001`, `1234567.5`, and `1.0` for an integral double), computerized
 * scientific notation outside (`1.0E-7`, `1.23456785E7`, `1.0E21`), with the shortest digits that identify it.
 *
 * @example
 * ```ts
 * formatJavaDouble(1e-7); // '1.0E-7'
 * formatJavaDouble(2); // '2.0'
 * ```
 */
export function formatJavaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  const [mantissa, exponentText] = magnitude.toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const fraction = digits.slice(exponent + 1) || '0';
      return `${sign}${whole}.${fraction}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const fraction = digits.slice(1) || '0';
  return `${sign}${digits[0]}.${fraction}E${exponent}`;
}

/**
 * A number of the state as a template prints it, on both runtimes: what Step Functions prints for the number that
 * `JSON.stringify` sends it. Integers below 10^21 print as digits (`42`); any other number is a double to Jackson
 * and prints as Java does (`1.0E-7`, `1.23456785E7`, `1.0E21`), where JavaScript would print `1e-7`, `12345678.5`
 * and `1e+21`.
 *
 * @example
 * ```ts
 * formatNumber(42); // '42'
 * formatNumber(0.5); // '0.5'
 * formatNumber(1e-7); // '1.0E-7'
 * ```
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return Object.is(value, -0) ? '0' : String(value);
  return formatJavaDouble(value);
}

declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

/** Whether `formatNumber` prints a number other than `JSON.stringify` does. */
function printsOtherwise(value: number): boolean {
  return !(Number.isInteger(value) && Math.abs(value) < 1e21) && !(Math.abs(value) >= 1e-3 && Math.abs(value) < 1e7);
}

function javaNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && printsOtherwise(value)
    ? JSON.rawJSON(formatJavaDouble(value))
    : value;
}

/**
 * Compact JSON as `States.JsonToString` gives it on Step Functions for the same value: `JSON.stringify`, with
 * numbers printed by {@link formatNumber}. The `| json` template filter uses it.
 *
 * @example
 * ```ts
 * stringifyJson({ score: 1e-7, n: 3 }); // '{"score":1.0E-7,"n":3}'
 * ```
 */
export function stringifyJson(value: unknown): string {
  // A replacer makes JSON.stringify several times slower: only a text that may hold such a number pays for it.
  const text = JSON.stringify(value);
  return text !== undefined && MAY_PRINT_OTHERWISE.test(text) ? JSON.stringify(value, javaNumbers) : text;
}

/**
 * In JSON that `JSON.stringify` printed, what every number that {@link formatNumber} prints otherwise contains: an
 * exponent (`1e-7`, `1e+21`), `0.000` (below 10^-3) or eight digits before a point (10^7 and up). A match inside a
 * string only costs the slower path.
 */
const MAY_PRINT_OTHERWISE = /\de|0\.000|\d{8}\./;
