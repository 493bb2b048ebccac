/** Holds something other than JSON whitespace (space, tab, line feed, carriage return). */
const FILLED = /[^ \t\n\r]/;

/**
 * Parses a model's answer as Step Functions' `States.StringToJson` does, which is how the compiled machine reads a
 * `json` or `boolean` invoke: JSON text gives its value, and a blank string (empty or only whitespace) gives `null`
 * (recorded on AWS for `""` and `" "`). Anything else throws `SyntaxError`, which the step reports as
 * `States.Runtime`.
 *
 * @example
 * ```ts
 * stringToJson(' {"a": 1} '); // { a: 1 }
 * stringToJson(''); // null
 * ```
 * @internal
 */
export function stringToJson(text: string): unknown {
  return FILLED.test(text) ? JSON.parse(text) : null;
}
