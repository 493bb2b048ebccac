import { abortable } from './abortable';

/**
 * Waits as a call to a missing Lambda function or knowledge base waits for its error answer: until the current turn
 * of the event loop is over. On Step Functions such a resource is found missing by calling it, a round trip after
 * the state started, so a step beside it that fails at state entry (a payload path the input lacks, `States.Runtime`)
 * fails first; runtime-local, which knows at once that the resource is missing, waits as long so that both report
 * the same failure (ARCHITECTURE.md, `concurrent-failures`).
 * @internal
 *
 * @example
 * ```ts
 * await answerOfAMissingResource(scope.signal);
 * throw missingHandlerError;
 * ```
 */
export function answerOfAMissingResource(signal: AbortSignal): Promise<void> {
  return abortable(new Promise<void>((resolve) => setImmediate(resolve)), signal);
}
