import { pythonRepr } from './python-repr';

/** A Map Run label holds at most this many characters. */
const MAX_LABEL_LENGTH = 40;

/**
 * Characters a Map `Label` cannot contain (the Map Run name rules): white space, `< > { } [ ] ? *`,
 * `" # % \ ^ | ~ ` $ & , ; : /` and control characters (U+0000 to U+001F, U+007F to U+009F).
 */
const INVALID_LABEL_CHARACTER = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;

/**
 * What is wrong with a Map state's `Label`, in the words Step Functions uses (`Label cannot be empty`,
 * `Label cannot exceed 40 characters`, `Label contains invalid character: '<'`), or `undefined` when it is valid.
 *
 * @example
 * ```ts
 * mapLabelProblem('batch-1'); // undefined
 * mapLabelProblem('label_?'); // "Label contains invalid character: '?'"
 * ```
 */
export function mapLabelProblem(label: string): string | undefined {
  if (label.length === 0) return 'Label cannot be empty';
  if ([...label].length > MAX_LABEL_LENGTH) return `Label cannot exceed ${MAX_LABEL_LENGTH} characters`;
  const invalid = INVALID_LABEL_CHARACTER.exec(label)?.[0];
  if (invalid !== undefined) return `Label contains invalid character: ${pythonRepr(invalid)}`;
  return undefined;
}

/**
 * CreateStateMachine's refusal of a definition whose Map `Label` is invalid, as Step Functions words it: the problem
 * as a Python `ValueError`, followed by the definition as sent.
 *
 * @example
 * ```ts
 * labelRefusal('Label cannot be empty', '{"StartAt":"M"}');
 * // `Error=ValueError Args=['Label cannot be empty'] in definition '{"StartAt":"M"}'.`
 * ```
 */
export function labelRefusal(problem: string, definition: string): string {
  return `Error=ValueError Args=[${pythonRepr(problem)}] in definition '${definition}'.`;
}
