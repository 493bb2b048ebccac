/** A JSON value inside an ASL definition. */
export type AslJson = string | number | boolean | null | AslJson[] | { [key: string]: AslJson };

/** One ASL state, loosely typed: the compiler writes only the fields Step Functions documents. */
export type AslState = { Type: string; Comment?: string } & { [field: string]: AslJson | undefined };

/** A state machine (or a Parallel branch, or a Map item processor). */
export interface AslStateMachine {
  Comment?: string;
  QueryLanguage?: 'JSONPath';
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}
