/**
 * The execution input a compiled machine expects for a chain input: the state document `{ input }`
 * (step outputs are added under `steps` as the machine runs). Send it with `StartSyncExecution`.
 *
 * @example
 * ```ts
 * await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(executionInput({ question })) }));
 * ```
 */
export function executionInput(input: unknown): { input: unknown } {
  return { input: input === undefined ? null : input };
}
