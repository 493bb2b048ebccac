import type { RespondMessages, RespondStep } from '../chain/step';
import { compact } from './compact';

/**
 * Options of {@link respond}.
 *
 * @example
 * ```ts
 * respond('answer', { model, system: 'Be brief.', prompt: '{{input.question}}', maxTokens: 500 } satisfies RespondOptions);
 * ```
 */
export interface RespondOptions<From extends string = string> {
  model: string;
  system?: string;
  /** User prompt template, sent after `messages`. */
  prompt?: string;
  /** Conversation history to send first. */
  messages?: RespondMessages<From>;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/**
 * The final answer, streamed token by token. Must be the chain's last top-level step. Output `{ text, usage }`.
 *
 * @example
 * ```ts
 * respond('answer', {
 *   model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
 *   system: 'Answer from the context.\n{{steps.docs.results | json}}',
 *   messages: { from: 'input.history', last: 5 },
 *   prompt: '{{input.question}}',
 * });
 * ```
 */
export function respond<const Id extends string, const From extends string = never>(
  id: Id,
  options: RespondOptions<From>,
): RespondStep<Id, NoInfer<From>> {
  return compact({ type: 'respond', id, ...options });
}
