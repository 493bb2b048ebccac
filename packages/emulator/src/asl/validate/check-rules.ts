import { checkPayloadTemplate, checkReferencePath } from './check-paths';
import { type Findings, has, type JsonObject } from './findings';
import { isRfc3339Timestamp } from './rfc3339-timestamp';
import { CHOICE_COMPARATORS } from './state-fields';

/**
 * A state's query language. @internal
 *
 * @example
 * ```ts
 * const language: QueryLanguage = 'JSONPath';
 * ```
 */
export type QueryLanguage = 'JSONPath' | 'JSONata';

const COMPARATORS: ReadonlySet<string> = new Set(CHOICE_COMPARATORS);
const RULE_SELECTORS = ['And', 'Or', 'Not', 'Variable'];

/**
 * Whether a string is a JSONata expression, `{% ... %}`. @internal
 *
 * @example
 * ```ts
 * isJsonataExpression('{% $states.input %}'); // true
 * ```
 */
export function isJsonataExpression(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}');
}

function checkComparatorValue(findings: Findings, operator: string, value: unknown, location: string): void {
  if (operator.endsWith('Path')) {
    checkReferencePath(findings, value, location);
  } else if (operator.startsWith('Is') || operator === 'BooleanEquals') {
    findings.type(value, 'BOOLEAN', location);
  } else if (operator.startsWith('Numeric')) {
    findings.type(value, 'NUMBER', location);
  } else if (operator.startsWith('Timestamp')) {
    if (findings.type(value, 'STRING', location) && !isRfc3339Timestamp(value as string)) {
      findings.schema('String does not match RFC3339 timestamp', location);
    }
  } else {
    findings.type(value, 'STRING', location);
  }
}

/** A JSONPath Choice rule: a top-level one carries `Next` (and may `Assign`), nested ones (`And`, `Or`, `Not`) do not. */
function checkJsonPathRule(findings: Findings, rule: unknown, location: string, top: boolean): void {
  if (!findings.type(rule, 'OBJECT', location)) return;
  const object = rule as JsonObject;
  for (const key of Object.keys(object)) {
    const allowed =
      COMPARATORS.has(key) ||
      RULE_SELECTORS.includes(key) ||
      key === 'Comment' ||
      (top && ['Next', 'Assign'].includes(key));
    if (!allowed) findings.unsupported(key, location);
  }
  if (top && findings.required(object, ['Next'], location)) findings.type(object.Next, 'STRING', `${location}/Next`);
  if (top && has(object, 'Assign') && findings.type(object.Assign, 'OBJECT', `${location}/Assign`)) {
    checkPayloadTemplate(findings, object.Assign, `${location}/Assign`);
  }
  const selectors = RULE_SELECTORS.filter((key) => has(object, key));
  if (selectors.length !== 1) {
    // As users report AWS's wording; the list names the JSONata Condition too.
    findings.schema(
      'The object must have only one of the following fields, [And, Or, Not, Variable, Condition]',
      location,
    );
    return;
  }
  const comparators = Object.keys(object).filter((key) => COMPARATORS.has(key));
  if (selectors[0] === 'Variable') {
    checkReferencePath(findings, object.Variable, `${location}/Variable`);
    if (comparators.length > 1) {
      findings.schema(`There should only be one of the following fields: [${comparators.join(', ')}]`, location);
    } else if (comparators.length === 0) {
      findings.schema(
        `This object should have only one of the following fields: [${CHOICE_COMPARATORS.join(', ')}]`,
        location,
      );
    } else {
      const operator = comparators[0] as string;
      checkComparatorValue(findings, operator, object[operator], `${location}/${operator}`);
    }
    return;
  }
  for (const operator of comparators) findings.unsupported(operator, location);
  if (selectors[0] === 'Not') {
    checkJsonPathRule(findings, object.Not, `${location}/Not`, false);
    return;
  }
  const operator = selectors[0] as 'And' | 'Or';
  const rules = object[operator];
  if (!findings.type(rules, 'ARRAY', `${location}/${operator}`)) return;
  if ((rules as unknown[]).length === 0) findings.schema('Value cannot be empty', `${location}/${operator}`);
  (rules as unknown[]).forEach((nested, index) => {
    checkJsonPathRule(findings, nested, `${location}/${operator}[${index}]`, false);
  });
}

/** A JSONata Choice rule: `Condition` and `Next` (`Assign`, `Output` optional). */
function checkJsonataRule(findings: Findings, rule: unknown, location: string): void {
  if (!findings.type(rule, 'OBJECT', location)) return;
  const object = rule as JsonObject;
  for (const key of Object.keys(object)) {
    if (!['Condition', 'Next', 'Assign', 'Output', 'Comment'].includes(key)) findings.unsupported(key, location);
  }
  if (findings.required(object, ['Condition', 'Next'], location))
    findings.type(object.Next, 'STRING', `${location}/Next`);
}

/**
 * A Choice state's `Choices` (a non-empty array of rules) and `Default`.
 * @internal
 *
 * @example
 * ```ts
 * checkChoices(findings, { Type: 'Choice', Choices: [] }, '/States/C', 'JSONPath'); // 'Value cannot be empty'
 * ```
 */
export function checkChoices(findings: Findings, state: JsonObject, location: string, language: QueryLanguage): void {
  if (!findings.required(state, ['Choices'], location)) return;
  if (!findings.type(state.Choices, 'ARRAY', `${location}/Choices`)) return;
  const choices = state.Choices as unknown[];
  if (choices.length === 0) findings.schema('Value cannot be empty', `${location}/Choices`);
  choices.forEach((rule, index) => {
    const at = `${location}/Choices[${index}]`;
    if (language === 'JSONata') checkJsonataRule(findings, rule, at);
    else checkJsonPathRule(findings, rule, at, true);
  });
  if (has(state, 'Default')) findings.type(state.Default, 'STRING', `${location}/Default`);
}

/**
 * `ErrorEquals` of a retrier or catcher: a non-empty array of error names where `States.ALL` stands alone. Returns
 * whether it holds `States.ALL`.
 */
function checkErrorEquals(findings: Findings, handler: JsonObject, location: string): boolean {
  const at = `${location}/ErrorEquals`;
  if (!findings.type(handler.ErrorEquals, 'ARRAY', at)) return false;
  const names = handler.ErrorEquals as unknown[];
  if (names.length === 0) findings.schema('Value cannot be empty', at);
  names.forEach((name, index) => {
    findings.type(name, 'STRING', `${at}[${index}]`);
  });
  const all = names.includes('States.ALL');
  // The ASL rule ("States.ALL MUST appear alone in ErrorEquals and in the last retrier or catcher") is AWS's; the
  // wording of its refusal is not documented.
  if (all && names.length > 1) findings.schema("'States.ALL' must appear alone in ErrorEquals", at);
  return all;
}

const RETRIER_FIELDS = [
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
];
const CATCHER_FIELDS = ['ErrorEquals', 'Next', 'ResultPath', 'Assign', 'Output', 'Comment'];

/**
 * A state's `Retry` (an array of retriers).
 * @internal
 *
 * @example
 * ```ts
 * checkRetry(findings, [{ MaxAttempts: 2 }], '/States/T'); // 'These fields are required: [ErrorEquals]'
 * ```
 */
export function checkRetry(findings: Findings, retry: unknown, location: string): void {
  const at = `${location}/Retry`;
  if (!findings.type(retry, 'ARRAY', at)) return;
  const retriers = retry as unknown[];
  retriers.forEach((retrier, index) => {
    const where = `${at}[${index}]`;
    if (!findings.type(retrier, 'OBJECT', where)) return;
    const object = retrier as JsonObject;
    for (const key of Object.keys(object)) if (!RETRIER_FIELDS.includes(key)) findings.unsupported(key, where);
    if (findings.required(object, ['ErrorEquals'], where) && checkErrorEquals(findings, object, where)) {
      if (index < retriers.length - 1) findings.schema("A retrier with 'States.ALL' must be the last retrier", where);
    }
    if (has(object, 'IntervalSeconds')) {
      findings.number(object.IntervalSeconds, `${where}/IntervalSeconds`, { integer: true, min: 1, max: 99_999_999 });
    }
    if (has(object, 'MaxAttempts')) {
      findings.number(object.MaxAttempts, `${where}/MaxAttempts`, { integer: true, min: 0, max: 99_999_999 });
    }
    if (has(object, 'BackoffRate'))
      findings.number(object.BackoffRate, `${where}/BackoffRate`, { integer: false, min: 1 });
    if (has(object, 'MaxDelaySeconds')) {
      findings.number(object.MaxDelaySeconds, `${where}/MaxDelaySeconds`, { integer: true, min: 1, max: 31_622_400 });
    }
    if (has(object, 'JitterStrategy'))
      findings.oneOf(object.JitterStrategy, ['FULL', 'NONE'], `${where}/JitterStrategy`);
  });
}

/**
 * A state's `Catch` (an array of catchers).
 * @internal
 *
 * @example
 * ```ts
 * checkCatch(findings, [{ ErrorEquals: ['States.ALL'] }], '/States/T', 'JSONPath'); // 'These fields are required: [Next]'
 * ```
 */
export function checkCatch(findings: Findings, catchers: unknown, location: string, language: QueryLanguage): void {
  const at = `${location}/Catch`;
  if (!findings.type(catchers, 'ARRAY', at)) return;
  const list = catchers as unknown[];
  list.forEach((catcher, index) => {
    const where = `${at}[${index}]`;
    if (!findings.type(catcher, 'OBJECT', where)) return;
    const object = catcher as JsonObject;
    for (const key of Object.keys(object)) if (!CATCHER_FIELDS.includes(key)) findings.unsupported(key, where);
    if (language === 'JSONPath' && has(object, 'Output')) {
      findings.schema(
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
        where,
      );
    }
    if (language === 'JSONata' && has(object, 'ResultPath')) {
      findings.schema(
        "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage",
        where,
      );
    }
    const complete = findings.required(object, ['ErrorEquals', 'Next'], where);
    if (has(object, 'ErrorEquals') && checkErrorEquals(findings, object, where) && index < list.length - 1) {
      findings.schema("A catcher with 'States.ALL' must be the last catcher", where);
    }
    if (complete) findings.type(object.Next, 'STRING', `${where}/Next`);
    if (language === 'JSONPath' && has(object, 'ResultPath')) {
      checkReferencePath(findings, object.ResultPath, `${where}/ResultPath`, { nullable: true });
    }
    if (language === 'JSONPath' && has(object, 'Assign') && findings.type(object.Assign, 'OBJECT', `${where}/Assign`)) {
      checkPayloadTemplate(findings, object.Assign, `${where}/Assign`);
    }
  });
}
