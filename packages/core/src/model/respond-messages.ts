import { StepFailedError } from '../errors/step-failed-error';
import type { ModelMessage } from './model-provider';

/**
 * Where a `respond` step's history comes from, for {@link respondMessages}.
 *
 * @example
 * ```ts
 * const options: RespondMessagesOptions = { stepId: 'answer', from: 'input.messages', last: 10 };
 * ```
 */
export interface RespondMessagesOptions {
  /** The `respond` step, named by the error. */
  stepId: string;
  /** The step's `messages.from` path as written, named by the error. */
  from: string;
  /** Keep only the last N messages (`messages.last`). */
  last?: number | undefined;
}

function failure(stepId: string, error: string, message: string): StepFailedError {
  return new StepFailedError(`Step "${stepId}" failed with ${error}: ${message}`, {
    error,
    errorCause: message,
    stepId,
  });
}

/** A value's kind for messages: `null`, `an array`, `an object`, `a string`... */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'missing';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/**
 * The chat history of a `respond` step as the model request carries it: the value found at `messages.from`, cut to
 * its last `last` messages, each checked to be `{ role: 'user' | 'assistant', content: string }`. Both runtimes build
 * `respond`'s request with it (runtime-local from its state, the SFN runtime from the execution output), so a bad
 * history fails the same way on both (decision 0001):
 * - a value that is not an array fails with `States.Runtime` (a path error of the step, which no policy handles);
 * - a kept message of another shape fails with `Bedrock.ValidationException`, as Bedrock refuses such a Converse
 *   request. Messages cut off by `last` are not checked: they are never sent.
 *
 * Both throw {@link StepFailedError} with the step id. Bedrock's conversation rules (user first, alternating roles,
 * no blank text) are the model's to enforce: the fakes, the emulator and Bedrock itself check them.
 *
 * @example
 * ```ts
 * respondMessages([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }], {
 *   stepId: 'answer',
 *   from: 'input.messages',
 *   last: 1,
 * }); // [{ role: 'assistant', content: 'Hello!' }]
 * ```
 */
export function respondMessages(value: unknown, options: RespondMessagesOptions): ModelMessage[] {
  const { stepId, from, last } = options;
  if (!Array.isArray(value)) {
    throw failure(
      stepId,
      'States.Runtime',
      `messages.from "${from}" must be an array of { role, content } messages, but it is ${kind(value)}.`,
    );
  }
  const start = last === undefined ? 0 : Math.max(0, value.length - Math.max(0, last));
  const messages: ModelMessage[] = new Array(value.length - start);
  for (let index = start; index < value.length; index++) {
    const message: unknown = value[index];
    const where = `messages.from "${from}" [${index}]`;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw failure(
        stepId,
        'Bedrock.ValidationException',
        `${where} must be a { role: 'user' | 'assistant', content: string } message, but it is ${kind(message)}.`,
      );
    }
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (role !== 'user' && role !== 'assistant') {
      throw failure(
        stepId,
        'Bedrock.ValidationException',
        `${where} has role ${role === undefined ? 'missing' : JSON.stringify(role)}; the role must be "user" or "assistant".`,
      );
    }
    if (typeof content !== 'string') {
      throw failure(
        stepId,
        'Bedrock.ValidationException',
        `${where} has content that is ${kind(content)}; the content must be a string.`,
      );
    }
    messages[index - start] = { role, content };
  }
  return messages;
}
