import type { QueryLanguage } from './check-rules';
import { checkContainer, type ValidationContext } from './check-states';
import type { DefinitionDiagnostic, DefinitionValidation } from './definition-diagnostic';
import { Findings, has, isObject, type JsonObject } from './findings';
import { jacksonJsonError } from './jackson-json-error';
import { labelRefusal } from './map-label';

/**
 * CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition take definitions of at most 1 MiB.
 *
 * @example
 * ```ts
 * MAX_DEFINITION_LENGTH; // 1048576
 * ```
 */
export const MAX_DEFINITION_LENGTH = 1_048_576;

const MACHINE_FIELDS = ['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage'];

/**
 * Options of {@link validateDefinition}.
 *
 * @example
 * ```ts
 * const options: ValidateDefinitionOptions = { type: 'EXPRESS' };
 * ```
 */
export interface ValidateDefinitionOptions {
  /** The machine type the definition is for: EXPRESS machines refuse activities, `.sync` and `.waitForTaskToken`. Default `STANDARD`. */
  type?: 'STANDARD' | 'EXPRESS';
}

/**
 * Everything the emulator's API needs from one validation. @internal
 *
 * @example
 * ```ts
 * const { result, parsed, usesJsonata }: DefinitionAnalysis = analyzeDefinition('{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
 * ```
 */
export interface DefinitionAnalysis extends DefinitionValidation {
  /** The definition, parsed, when `result` is `OK`. */
  parsed?: JsonObject;
  /** The first invalid Map `Label` (CreateStateMachine words that refusal in a form of its own). */
  labelProblem?: string;
  /** Whether a state uses the JSONata query language. */
  usesJsonata: boolean;
}

function verdict(diagnostics: DefinitionDiagnostic[]): 'OK' | 'FAIL' {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'ERROR') ? 'FAIL' : 'OK';
}

/** AWS's words for a definition whose text holds no JSON object (blank, or another JSON value): no location. */
const NOT_AN_OBJECT = 'Definition must be a valid JSON object';

function checkMachine(findings: Findings, definition: unknown, type: 'STANDARD' | 'EXPRESS'): void {
  if (!isObject(definition)) {
    findings.schema(NOT_AN_OBJECT);
    return;
  }
  const machine = definition as JsonObject;
  for (const key of Object.keys(machine)) if (!MACHINE_FIELDS.includes(key)) findings.unsupported(key, '/');
  for (const field of ['Comment', 'Version'])
    if (has(machine, field)) findings.type(machine[field], 'STRING', `/${field}`);
  if (has(machine, 'TimeoutSeconds')) {
    findings.number(machine.TimeoutSeconds, '/TimeoutSeconds', { integer: true, min: 1, max: 99_999_999 });
  }
  if (has(machine, 'QueryLanguage')) findings.oneOf(machine.QueryLanguage, ['JSONPath', 'JSONata'], '/QueryLanguage');
  const language: QueryLanguage =
    !has(machine, 'QueryLanguage') || machine.QueryLanguage === 'JSONPath' ? 'JSONPath' : 'JSONata';
  if (language === 'JSONata') findings.usesJsonata = true;
  const context: ValidationContext = { findings, machineLanguage: language, machineType: type, stateNames: new Set() };
  checkContainer(context, machine, '', { top: true });
}

/**
 * Validates a definition's text as Step Functions does for `type`, and keeps what the emulator needs to run it.
 * @internal
 *
 * @example
 * ```ts
 * analyzeDefinition(text, 'EXPRESS').result; // 'OK' or 'FAIL'
 * ```
 */
export function analyzeDefinition(text: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): DefinitionAnalysis {
  if (text.length > MAX_DEFINITION_LENGTH) {
    // AWS refuses such a request before validating it (ValidationException, "Member must have length less than or
    // equal to 1048576"); the emulator's API does the same, and this diagnostic is the emulator's own.
    const diagnostics: DefinitionDiagnostic[] = [
      {
        severity: 'ERROR',
        code: 'DEFINITION_TOO_LARGE',
        message: `The definition is ${text.length} characters long, over the limit of ${MAX_DEFINITION_LENGTH}`,
      },
    ];
    return { result: 'FAIL', diagnostics, usesJsonata: false };
  }
  if (/^[ \t\r\n]*$/.test(text)) {
    // Jackson reads blank text as no value at all, which AWS refuses as not being an object.
    return {
      result: 'FAIL',
      diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: NOT_AN_OBJECT }],
      usesJsonata: false,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const jackson = jacksonJsonError(text);
    const diagnostics: DefinitionDiagnostic[] = [
      {
        severity: 'ERROR',
        code: 'INVALID_JSON_DESCRIPTION',
        message: jackson?.message ?? (error as Error).message,
        ...(jackson ? { location: jackson.location } : {}),
      },
    ];
    return { result: 'FAIL', diagnostics, usesJsonata: false };
  }
  const findings = new Findings();
  checkMachine(findings, parsed, type);
  const diagnostics = findings.all();
  const result = verdict(diagnostics);
  return {
    result,
    diagnostics,
    usesJsonata: findings.usesJsonata,
    ...(result === 'OK' ? { parsed: parsed as JsonObject } : {}),
    ...(findings.labelProblem !== undefined ? { labelProblem: findings.labelProblem } : {}),
  };
}

/**
 * The message of CreateStateMachine's and UpdateStateMachine's `InvalidDefinition` for a failed analysis, as Step
 * Functions words it: `Invalid State Machine Definition: '<CODE>: <message> at <location>, ...'` (`at null` where a
 * diagnostic has no location), or for an invalid Map `Label` its own form.
 * @internal
 *
 * @example
 * ```ts
 * invalidDefinitionMessage(analyzeDefinition('{"StartAt":"A"}'), '{"StartAt":"A"}');
 * // "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
 * ```
 */
export function invalidDefinitionMessage(analysis: DefinitionAnalysis, definition: string): string {
  if (analysis.labelProblem !== undefined) return labelRefusal(analysis.labelProblem, definition);
  const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'ERROR');
  const described = errors.map(
    (diagnostic) => `${diagnostic.code}: ${diagnostic.message} at ${diagnostic.location ?? 'null'}`,
  );
  return `Invalid State Machine Definition: '${described.join(', ')}'`;
}

/**
 * Validates a state machine definition (Amazon States Language) as AWS Step Functions' ValidateStateMachineDefinition
 * does: the same codes, messages and locations, so a definition that passes here is one that CreateStateMachine
 * accepts. It checks the structure (required and unsupported fields of every state type, transitions, reachability,
 * state names, Choice rules, Retry and Catch, Map and Parallel), every JSONPath, Reference Path and intrinsic function
 * call (AWS's escapes, at most 10 calls in one field), Wait timestamps, Map labels, the EXPRESS-only restrictions and
 * the 1 MiB limit. Definitions given as text that is not JSON get Jackson's messages, as from AWS. JSONata states are
 * checked for their fields only, not their expressions.
 *
 * @param definition The definition, as JSON text or as an object.
 * @param options `type`: the machine type (`STANDARD` by default).
 * @returns `result` `OK` or `FAIL`, and the diagnostics.
 * @example
 * ```ts
 * import { validateDefinition } from '@stepwise/emulator';
 *
 * const { result, diagnostics } = validateDefinition(
 *   { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Timestamp: '2016-12-05 21:29:29Z', End: true } } },
 *   { type: 'EXPRESS' },
 * );
 * // result: 'FAIL'
 * // diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED',
 * //   message: 'String does not match RFC3339 timestamp', location: '/States/Wait/Timestamp' }]
 * ```
 */
export function validateDefinition(
  definition: string | object,
  options: ValidateDefinitionOptions = {},
): DefinitionValidation {
  const text = typeof definition === 'string' ? definition : (JSON.stringify(definition) ?? '');
  const { result, diagnostics } = analyzeDefinition(text, options.type ?? 'STANDARD');
  return { result, diagnostics };
}
