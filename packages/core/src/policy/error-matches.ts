/** Errors that `States.ALL` does not match, as on Step Functions. */
const TERMINAL = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/**
 * Whether an ASL error name is matched by a policy's `errors` list, with Step Functions' rules:
 * - a name matches itself;
 * - `States.ALL` matches every error except the terminal `States.Runtime` and `States.DataLimitExceeded`;
 * - `States.TaskFailed` matches every error a task raises (`Bedrock.*`, handler error names) but no other
 *   `States.*` error, so not `States.Timeout`;
 * - `States.Runtime` (a missing template path, a non-boolean answer of a boolean `invoke`) is never matched: no retry
 *   or catch handles it.
 *
 * @example
 * ```ts
 * errorMatches(['States.TaskFailed'], 'Bedrock.ThrottlingException'); // true
 * errorMatches(['States.TaskFailed'], 'States.Timeout'); // false
 * errorMatches(['States.ALL'], 'States.Runtime'); // false
 * ```
 */
export function errorMatches(errors: readonly string[], name: string): boolean {
  if (name === 'States.Runtime') return false;
  for (const candidate of errors) {
    if (candidate === name) return true;
    if (candidate === 'States.ALL' && !TERMINAL.has(name)) return true;
    if (candidate === 'States.TaskFailed' && !name.startsWith('States.')) return true;
  }
  return false;
}
