import {
  countIntrinsicCalls,
  type IntrinsicArgument,
  type IntrinsicCall,
  parseIntrinsic,
} from '../intrinsics/parse-intrinsic';
import { type JsonPath, parseJsonPath } from '../json-path/parse-json-path';
import { type Findings, isObject } from './findings';

/**
 * Step Functions allows at most this many intrinsic function calls, nested ones included, in one field.
 *
 * @example
 * ```ts
 * MAX_INTRINSIC_CALLS; // 10
 * ```
 */
export const MAX_INTRINSIC_CALLS = 10;

/** The characters a backslash may escape in an intrinsic function's string literal: `'`, `{`, `}` and `\`. */
const INTRINSIC_ESCAPES = new Set(["'", '{', '}', '\\']);

function tryPath(text: string): JsonPath | undefined {
  try {
    return parseJsonPath(text);
  } catch {
    return undefined;
  }
}

function tryIntrinsic(text: string): IntrinsicCall | undefined {
  try {
    return parseIntrinsic(text);
  } catch {
    return undefined;
  }
}

/** Whether every backslash in the call's string literals escapes one of `' { } \` (AWS refuses `\"`, `\n`, ...). */
function escapesAreLegal(call: IntrinsicCall): boolean {
  return call.args.every((arg: IntrinsicArgument) => {
    if (arg.kind === 'call') return escapesAreLegal(arg);
    if (arg.kind !== 'string') return true;
    for (let index = 0; index < arg.raw.length; index++) {
      if (arg.raw[index] !== '\\') continue;
      if (!INTRINSIC_ESCAPES.has(arg.raw[index + 1] ?? '')) return false;
      index++;
    }
    return true;
  });
}

/**
 * Whether a path addresses a single node the way a Reference Path must: members by `.name` or `['name']` and single
 * indexes, no wildcard, slice, union, deep scan, filter or function.
 */
function isReferencePath(path: JsonPath): boolean {
  return path.segments.every(
    (segment) =>
      (segment.kind === 'property' && segment.names.length === 1) ||
      (segment.kind === 'index' && segment.indexes.length === 1),
  );
}

/** How a `.$` value or a `*Path` field that admits intrinsics fails, if it does. */
type DynamicValueProblem = { kind: 'invalid' } | { kind: 'too-many-calls'; calls: number } | undefined;

/**
 * Checks the value of a `"key.$"` field: a JSONPath (`$.a`, `$$.Map.Item.Value`, `$var`) or one intrinsic function
 * call with legal escapes and at most {@link MAX_INTRINSIC_CALLS} calls.
 * @internal
 */
function dynamicValueProblem(value: unknown): DynamicValueProblem {
  if (typeof value !== 'string') return { kind: 'invalid' };
  if (value.startsWith('$')) return tryPath(value) ? undefined : { kind: 'invalid' };
  const call = tryIntrinsic(value);
  if (!call || !escapesAreLegal(call)) return { kind: 'invalid' };
  const calls = countIntrinsicCalls(call);
  return calls > MAX_INTRINSIC_CALLS ? { kind: 'too-many-calls', calls } : undefined;
}

/**
 * Reports a `"key.$"` field whose value is neither a JSONPath nor a valid intrinsic call, located at the object that
 * holds the field, as Step Functions does.
 * @internal
 *
 * @example
 * ```ts
 * checkDynamicField(findings, 'a.$', 'not a path', '/States/A/Parameters'); // one SCHEMA_VALIDATION_FAILED
 * ```
 */
export function checkDynamicField(findings: Findings, key: string, value: unknown, location: string): void {
  const problem = dynamicValueProblem(value);
  if (problem?.kind === 'invalid') {
    findings.schema(
      `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
      location,
    );
  } else if (problem?.kind === 'too-many-calls') {
    // AWS documents the limit ("You can nest up to 10 intrinsic functions within a field") and counts calls in its
    // own example, but not the message it refuses a definition with: this one follows the wording of the field
    // message above.
    findings.schema(
      `The value for the field '${key}' must not contain more than ${MAX_INTRINSIC_CALLS} intrinsic function calls (it contains ${problem.calls})`,
      location,
    );
  }
}

/**
 * Checks a payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`): every `"key.$"` field at any
 * depth, objects inside arrays included. Locations follow AWS's form (`/States/A/Parameters/Body/messages[0]`).
 * @internal
 *
 * @example
 * ```ts
 * checkPayloadTemplate(findings, { Body: { 'text.$': '$.text' } }, '/States/A/Parameters'); // nothing to report
 * ```
 */
export function checkPayloadTemplate(findings: Findings, template: unknown, location: string): void {
  if (Array.isArray(template)) {
    template.forEach((item, index) => {
      checkPayloadTemplate(findings, item, `${location}[${index}]`);
    });
    return;
  }
  if (!isObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) checkDynamicField(findings, key, value, location);
    else checkPayloadTemplate(findings, value, `${location}/${key}`);
  }
}

/**
 * A Path field (`InputPath`, `OutputPath`): `null` or any JSONPath. AWS: `Value must be a valid JSONPath.`
 * @internal
 *
 * @example
 * ```ts
 * checkPath(findings, 'Test', '/States/A/OutputPath'); // 'Value must be a valid JSONPath.'
 * ```
 */
export function checkPath(findings: Findings, value: unknown, location: string): void {
  if (value === null) return;
  if (!findings.type(value, 'STRING', location)) return;
  if (!tryPath(value as string)) findings.schema('Value must be a valid JSONPath.', location);
}

/**
 * A Reference Path field (`ResultPath`, `ItemsPath`, `SecondsPath`, a Choice rule's `Variable`, ...): a path to a
 * single node. AWS: `Value is not a Reference Path: Reference path didn't start with '$'`; AWS's details for other
 * faults are not documented, so those read `Value is not a Reference Path`.
 * @internal
 *
 * @example
 * ```ts
 * checkReferencePath(findings, '$.items[*]', '/States/A/ResultPath'); // 'Value is not a Reference Path'
 * ```
 */
export function checkReferencePath(
  findings: Findings,
  value: unknown,
  location: string,
  { nullable = false }: { nullable?: boolean } = {},
): void {
  if (value === null && nullable) return;
  if (!findings.type(value, 'STRING', location)) return;
  const text = value as string;
  if (!text.startsWith('$')) {
    findings.schema("Value is not a Reference Path: Reference path didn't start with '$'", location);
    return;
  }
  const path = tryPath(text);
  if (!path || !isReferencePath(path)) findings.schema('Value is not a Reference Path', location);
}

/**
 * A field that takes a Reference Path or an intrinsic function call (a Fail state's `ErrorPath` and `CausePath`).
 * @internal
 *
 * @example
 * ```ts
 * checkPathOrIntrinsic(findings, 'CausePath', "States.Format('{}', $.cause)", '/States/F'); // nothing to report
 * ```
 */
export function checkPathOrIntrinsic(findings: Findings, field: string, value: unknown, location: string): void {
  if (typeof value === 'string' && value.startsWith('$')) {
    checkReferencePath(findings, value, `${location}/${field}`);
    return;
  }
  checkDynamicField(findings, field, value, location);
}
