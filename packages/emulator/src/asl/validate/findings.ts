import type { DefinitionDiagnostic } from './definition-diagnostic';

/** The JSON types Step Functions names in `Expected value of type [...]`. */
type JsonTypeName = 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN' | 'OBJECT' | 'ARRAY';

/**
 * A plain JSON object. @internal
 *
 * @example
 * ```ts
 * const state: JsonObject = { Type: 'Pass', End: true };
 * ```
 */
export type JsonObject = Record<string, unknown>;

/**
 * Whether a value is a JSON object (not an array, not null). @internal
 *
 * @example
 * ```ts
 * isObject({}); // true
 * isObject([]); // false
 * ```
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether an object has a field, whatever its value (`null` included). @internal
 *
 * @example
 * ```ts
 * has({ ResultPath: null }, 'ResultPath'); // true
 * ```
 */
export function has(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key);
}

function hasType(value: unknown, type: JsonTypeName): boolean {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'INTEGER':
      return typeof value === 'number' && Number.isInteger(value);
    case 'NUMBER':
      return typeof value === 'number';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'OBJECT':
      return isObject(value);
    case 'ARRAY':
      return Array.isArray(value);
  }
}

/** `1` as `1`, `1.5` as `1.5`, and the decimal bounds AWS prints with a fraction (`0.0`, `100.0`). */
function bound(value: number, decimal: boolean): string {
  return decimal && Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/**
 * Collects the diagnostics of one definition, with the message shapes Step Functions uses for schema problems.
 * @internal
 *
 * @example
 * ```ts
 * const findings = new Findings();
 * findings.required({ StartAt: 'A' }, ['StartAt', 'States'], '/');
 * findings.diagnostics; // [{ ..., message: 'These fields are required: [States]', location: '/' }]
 * ```
 */
export class Findings {
  readonly diagnostics: DefinitionDiagnostic[] = [];
  /** The first invalid Map `Label`: CreateStateMachine refuses it in a form of its own. */
  labelProblem: string | undefined;
  /** Whether a state uses the JSONata query language. */
  usesJsonata = false;

  /**
   * Problems of the machine's graph and names (`MISSING_TRANSITION_TARGET`, `MISSING_END_STATE`,
   * `DUPLICATE_STATE_NAME`, `INVALID_STATE_NAME`): AWS analyses these only once the definition passes its schema.
   */
  readonly semantic: DefinitionDiagnostic[] = [];

  add(code: string, message: string, location?: string): void {
    this.diagnostics.push({ severity: 'ERROR', code, message, ...(location !== undefined ? { location } : {}) });
  }

  /** A problem of the graph or the names, reported only when the schema holds. */
  graph(code: string, message: string, location?: string): void {
    this.semantic.push({ severity: 'ERROR', code, message, ...(location !== undefined ? { location } : {}) });
  }

  /** Schema problems if any, else graph problems. */
  all(): DefinitionDiagnostic[] {
    return this.diagnostics.length > 0 ? this.diagnostics : this.semantic;
  }

  schema(message: string, location?: string): void {
    this.add('SCHEMA_VALIDATION_FAILED', message, location);
  }

  /** `Field 'X' is not supported`, located at the object that holds the field. */
  unsupported(field: string, location: string): void {
    this.schema(`Field '${field}' is not supported`, location);
  }

  /** `These fields are required: [A, B]` for the listed fields the object lacks; whether all were there. */
  required(object: JsonObject, fields: string[], location: string): boolean {
    const missing = fields.filter((field) => !has(object, field));
    if (missing.length > 0) this.schema(`These fields are required: [${missing.join(', ')}]`, location);
    return missing.length === 0;
  }

  /** `There should only be one of the following fields: [A, B]` when both are present. */
  exclusive(object: JsonObject, fields: string[], location: string): void {
    if (fields.filter((field) => has(object, field)).length > 1) {
      this.schema(`There should only be one of the following fields: [${fields.join(', ')}]`, location);
    }
  }

  /** Whether `value` has the type; reports `Expected value of type [TYPE]` at `location` when not. */
  type(value: unknown, type: JsonTypeName, location: string): boolean {
    if (hasType(value, type)) return true;
    this.schema(`Expected value of type [${type}]`, location);
    return false;
  }

  /** A number field: its type, then `Minimum value is N` / `Maximum value is N`. */
  number(
    value: unknown,
    location: string,
    { integer, min, max }: { integer: boolean; min?: number; max?: number },
  ): void {
    if (!this.type(value, integer ? 'INTEGER' : 'NUMBER', location)) return;
    const number = value as number;
    if (min !== undefined && number < min) this.schema(`Minimum value is ${bound(min, !integer)}`, location);
    else if (max !== undefined && number > max) this.schema(`Maximum value is ${bound(max, !integer)}`, location);
  }

  /** A string field whose value is one of `values`: `Value should be one of the following: [A, B]`. */
  oneOf(value: unknown, values: readonly string[], location: string): void {
    if (!this.type(value, 'STRING', location)) return;
    if (!values.includes(value as string)) {
      this.schema(`Value should be one of the following: [${values.join(', ')}]`, location);
    }
  }
}
