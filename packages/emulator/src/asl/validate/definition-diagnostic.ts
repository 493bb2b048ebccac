/**
 * One finding about a state machine definition, shaped as an entry of `ValidateStateMachineDefinition`'s
 * `diagnostics`: AWS's code (`SCHEMA_VALIDATION_FAILED`, `INVALID_JSON_DESCRIPTION`, `MISSING_TRANSITION_TARGET`,
 * `MISSING_END_STATE`, `DUPLICATE_STATE_NAME`, ...), AWS's message text and the location in the definition
 * (`/States/Ask/Parameters`), absent where AWS gives none.
 *
 * @example
 * ```ts
 * const diagnostic: DefinitionDiagnostic = {
 *   severity: 'ERROR',
 *   code: 'SCHEMA_VALIDATION_FAILED',
 *   message: 'These fields are required: [StartAt]',
 *   location: '/',
 * };
 * ```
 */
export interface DefinitionDiagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

/**
 * What {@link validateDefinition} concludes: `FAIL` when any diagnostic is an `ERROR`, as
 * `ValidateStateMachineDefinition` answers.
 *
 * @example
 * ```ts
 * const verdict: DefinitionValidation = { result: 'OK', diagnostics: [] };
 * ```
 */
export interface DefinitionValidation {
  result: 'OK' | 'FAIL';
  diagnostics: DefinitionDiagnostic[];
}
