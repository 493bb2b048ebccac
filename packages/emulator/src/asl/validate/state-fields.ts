/**
 * The state types of the Amazon States Language.
 *
 * @example
 * ```ts
 * STATE_TYPES.includes('Map'); // true
 * ```
 */
export const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;

/**
 * A state type.
 *
 * @example
 * ```ts
 * const type: StateType = 'Parallel';
 * ```
 */
export type StateType = (typeof STATE_TYPES)[number];

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const IO = ['InputPath', 'OutputPath', 'Output'];
const TRANSITION = ['Next', 'End'];

/**
 * The fields each state type supports, in either query language; any other is `Field 'X' is not supported`.
 *
 * @example
 * ```ts
 * STATE_FIELDS.Pass.has('TimeoutSeconds'); // false
 * ```
 */
export const STATE_FIELDS: Record<StateType, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...IO, ...TRANSITION, 'ResultPath', 'Parameters', 'Result', 'Assign']),
  Task: new Set([
    ...COMMON,
    ...IO,
    ...TRANSITION,
    'Resource',
    'ResultPath',
    'Parameters',
    'Arguments',
    'ResultSelector',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Credentials',
    'Assign',
  ]),
  Choice: new Set([...COMMON, ...IO, 'Choices', 'Default', 'Assign']),
  Wait: new Set([...COMMON, ...IO, ...TRANSITION, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Assign']),
  Succeed: new Set([...COMMON, ...IO]),
  Fail: new Set([...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([
    ...COMMON,
    ...IO,
    ...TRANSITION,
    'Branches',
    'ResultPath',
    'Parameters',
    'Arguments',
    'ResultSelector',
    'Retry',
    'Catch',
    'Assign',
  ]),
  Map: new Set([
    ...COMMON,
    ...IO,
    ...TRANSITION,
    'ItemProcessor',
    'Iterator',
    'Items',
    'ItemsPath',
    'ItemSelector',
    'Parameters',
    'ItemReader',
    'ItemBatcher',
    'ResultWriter',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath',
    'ToleratedFailureCount',
    'ToleratedFailureCountPath',
    'Label',
    'ResultPath',
    'ResultSelector',
    'Retry',
    'Catch',
    'Assign',
  ]),
};

/**
 * Fields that only a JSONata state may have.
 *
 * @example
 * ```ts
 * JSONATA_ONLY_FIELDS.has('Output'); // true
 * ```
 */
export const JSONATA_ONLY_FIELDS: ReadonlySet<string> = new Set(['Output', 'Arguments', 'Items']);

/**
 * Fields that only a JSONPath state may have.
 *
 * @example
 * ```ts
 * JSONPATH_ONLY_FIELDS.has('ResultPath'); // true
 * ```
 */
export const JSONPATH_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'InputPath',
  'OutputPath',
  'ResultPath',
  'Parameters',
  'ResultSelector',
  'Result',
  'ItemsPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
]);

/**
 * The comparison operators of a JSONPath Choice rule.
 *
 * @example
 * ```ts
 * CHOICE_COMPARATORS.includes('StringMatches'); // true
 * ```
 */
export const CHOICE_COMPARATORS = [
  'StringEquals',
  'StringEqualsPath',
  'StringLessThan',
  'StringLessThanPath',
  'StringGreaterThan',
  'StringGreaterThanPath',
  'StringLessThanEquals',
  'StringLessThanEqualsPath',
  'StringGreaterThanEquals',
  'StringGreaterThanEqualsPath',
  'StringMatches',
  'NumericEquals',
  'NumericEqualsPath',
  'NumericLessThan',
  'NumericLessThanPath',
  'NumericGreaterThan',
  'NumericGreaterThanPath',
  'NumericLessThanEquals',
  'NumericLessThanEqualsPath',
  'NumericGreaterThanEquals',
  'NumericGreaterThanEqualsPath',
  'BooleanEquals',
  'BooleanEqualsPath',
  'TimestampEquals',
  'TimestampEqualsPath',
  'TimestampLessThan',
  'TimestampLessThanPath',
  'TimestampGreaterThan',
  'TimestampGreaterThanPath',
  'TimestampLessThanEquals',
  'TimestampLessThanEqualsPath',
  'TimestampGreaterThanEquals',
  'TimestampGreaterThanEqualsPath',
  'IsNull',
  'IsPresent',
  'IsNumeric',
  'IsString',
  'IsBoolean',
  'IsTimestamp',
] as const;
