/**
 * Whether an ASL error name is matched by a policy's `errors` list, with Step Functions' rules: `States.ALL`
 * matches everything; `States.TaskFailed` matches every error except `States.Timeout` raised by a task.
 *
 * @example
 * ```ts
 * errorMatches(['States.TaskFailed'], 'Bedrock.ThrottlingException'); // true
 * errorMatches(['States.TaskFailed'], 'States.Timeout'); // false
 * ```
 */
export function errorMatches(errors: readonly string[], name: string): boolean {
  for (const candidate of errors) {
    if (candidate === name || candidate === 'States.ALL') return true;
    if (candidate === 'States.TaskFailed' && name !== 'States.Timeout' && !name.startsWith('States.')) return true;
  }
  return false;
}
