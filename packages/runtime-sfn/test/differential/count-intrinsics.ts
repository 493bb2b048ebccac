/**
 * AWS's limit of intrinsic function calls in one field.
 *
 * @example
 * ```ts
 * const over = countIntrinsicCalls(expression) > INTRINSIC_LIMIT;
 * ```
 */
export const INTRINSIC_LIMIT = 10;

/**
 * One field of a compiled definition that calls intrinsic functions.
 *
 * @example
 * ```ts
 * const field: IntrinsicField = { state: 'Classify', field: 'ResultSelector.value.$', calls: 12, expression: 'States.ArrayGetItem(...)' };
 * ```
 */
export interface IntrinsicField {
  /** The state's name. */
  state: string;
  /** The state's type (`Task`, `Pass`, ...). */
  stateType: string;
  /** Where in the state, keys joined with `.` (`Parameters.Body.messages.0.content.$`). */
  field: string;
  /** Intrinsic calls in the expression, nested ones included. */
  calls: number;
  expression: string;
}

/**
 * Counts the intrinsic function calls in one expression: every `States.<Name>(` outside a quoted string
 * (`'...'`, where `\` escapes the next character), so `States.Format('States.Array(', $.a)` is one call.
 *
 * @example
 * ```ts
 * countIntrinsicCalls("States.Format('{} {}', States.JsonToString($.a), $.b)"); // 2
 * ```
 */
export function countIntrinsicCalls(expression: string): number {
  let calls = 0;
  let quoted = false;
  for (let at = 0; at < expression.length; at++) {
    const char = expression[at];
    if (quoted) {
      if (char === '\\') at++;
      else if (char === "'") quoted = false;
      continue;
    }
    if (char === "'") {
      quoted = true;
      continue;
    }
    if (expression.startsWith('States.', at)) {
      const call = /^States\.[A-Za-z0-9]+\s*\(/.exec(expression.slice(at));
      if (call) {
        calls++;
        at += call[0].length - 1;
      }
    }
  }
  return calls;
}

type Json = { [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested state machines of a state: Parallel branches, Map processors. */
function nestedMachines(state: Json): Json[] {
  const out: Json[] = [];
  if (Array.isArray(state.Branches)) out.push(...state.Branches.filter(isObject));
  if (isObject(state.ItemProcessor)) out.push(state.ItemProcessor);
  if (isObject(state.Iterator)) out.push(state.Iterator);
  return out;
}

function walkValue(value: unknown, field: string[], found: (field: string, expression: string) => void): void {
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) walkValue(entry, [...field, String(index)], found);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (key.endsWith('.$') && typeof inner === 'string' && inner.startsWith('States.')) {
      found([...field, key].join('.'), inner);
    } else {
      walkValue(inner, [...field, key], found);
    }
  }
}

/**
 * Every field of a definition (nested machines included) whose value is an intrinsic expression, with its call count.
 *
 * @example
 * ```ts
 * const over = intrinsicFields(compileChain(chain)).filter((field) => field.calls > INTRINSIC_LIMIT);
 * ```
 */
export function intrinsicFields(definition: unknown): IntrinsicField[] {
  const fields: IntrinsicField[] = [];
  const visit = (machine: Json) => {
    if (!isObject(machine.States)) return;
    for (const [name, state] of Object.entries(machine.States)) {
      if (!isObject(state)) continue;
      for (const [key, value] of Object.entries(state)) {
        if (key === 'Branches' || key === 'ItemProcessor' || key === 'Iterator') continue;
        walkValue(value, [key], (field, expression) =>
          fields.push({
            state: name,
            stateType: String(state.Type),
            field,
            calls: countIntrinsicCalls(expression),
            expression,
          }),
        );
      }
      for (const nested of nestedMachines(state)) visit(nested);
    }
  };
  if (isObject(definition)) visit(definition);
  return fields;
}
