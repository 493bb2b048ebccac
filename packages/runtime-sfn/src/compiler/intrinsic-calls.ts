import type { AslJson } from './asl-types';

/** A field of a definition that holds a path or an intrinsic function: where it is, and its text. */
export interface ExpressionField {
  /** JSON pointer-like location, `/States/Classify/ResultSelector/value.$`. */
  at: string;
  expression: string;
}

/**
 * The number of intrinsic function calls in a field's expression, nested calls included, as Step Functions counts
 * them against its limit of 10 (`States.Format('{}', States.JsonToString($.a))` is 2). Text inside quoted string
 * arguments does not count.
 * @internal
 */
export function countIntrinsicCalls(expression: string): number {
  let calls = 0;
  let inString = false;
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === "'") inString = false;
      continue;
    }
    if (char === "'") inString = true;
    else if (char === '(' && /States\.[A-Za-z0-9]+$/.test(expression.slice(Math.max(0, index - 40), index))) calls++;
  }
  return calls;
}

/**
 * The escapes inside the quoted string arguments of an expression that Step Functions refuses at
 * CreateStateMachine: it knows `\'`, `\{`, `\}` and `\\` only (a recorded `\"` is refused). Returns the bad escapes.
 * @internal
 */
export function illegalIntrinsicEscapes(expression: string): string[] {
  const bad: string[] = [];
  let inString = false;
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index];
    if (!inString) {
      if (char === "'") inString = true;
      continue;
    }
    if (char === "'") inString = false;
    else if (char === '\\') {
      const next = expression[index + 1] ?? '';
      if (!"'{}\\".includes(next) || next === '') bad.push(`\\${next}`);
      index++;
    }
  }
  if (inString) bad.push('an unterminated string');
  return bad;
}

/**
 * Every field of a definition that holds a path or an intrinsic function: keys ending in `.$` in payload templates
 * (`Parameters`, `ResultSelector`, `ItemSelector`, at any depth) and a Fail state's `ErrorPath` and `CausePath`.
 * @internal
 */
export function expressionFields(definition: AslJson, at = ''): ExpressionField[] {
  const out: ExpressionField[] = [];
  const visit = (value: AslJson, where: string) => {
    if (Array.isArray(value)) {
      for (const [index, entry] of value.entries()) visit(entry, `${where}/${index}`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const fail = value.Type === 'Fail';
    for (const [key, entry] of Object.entries(value)) {
      const here = `${where}/${key}`;
      if (typeof entry === 'string' && (key.endsWith('.$') || (fail && (key === 'ErrorPath' || key === 'CausePath')))) {
        out.push({ at: here, expression: entry });
      } else {
        visit(entry, here);
      }
    }
  };
  visit(definition, at);
  return out;
}
