/**
 * An error raised in an execution, by its ASL name (`error`) and cause, as Step Functions reports it: a Fail state's
 * Error and Cause, a task's failure, `States.Runtime` (the state machine itself is at fault: never retried nor
 * caught), `States.DataLimitExceeded`, `States.Timeout`, ...
 * @example
 * throw new AslError('States.TaskFailed', 'the model refused');
 */
export class AslError extends Error {
  constructor(
    readonly error: string | undefined,
    override readonly cause: string | undefined,
    /** The innermost state that failed, for `States.Runtime` causes and callers that locate the failure. */
    readonly stateName?: string,
  ) {
    super(cause ?? error ?? 'execution failed');
    this.name = 'AslError';
  }
}

/**
 * A run-time error of the state machine (`States.Runtime`). `message` is what follows the service's prefix
 * "An error occurred while executing the state 'X' (entered at the event id #N). ", which the state adds.
 * @example
 * throw new RuntimeFault("The JSONPath '$.a' specified for the field 'b.$' could not be found in the input '{}'");
 */
export class RuntimeFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeFault';
  }
}

/** Errors that no Retry or Catch handles, not even `States.ALL`. */
export function isTerminalError(error: string | undefined): boolean {
  return error === 'States.Runtime' || error === 'States.DataLimitExceeded';
}
