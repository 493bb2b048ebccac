import type { ChatRequest, ChatRequestMessage } from './chat-request';

/**
 * The default mapping of a `/chat` request to chain input: the text of the last user message becomes `question`,
 * the `user` and `assistant` messages before it become `history: [{ role, content }]` (text parts joined),
 * and the fields of `body.input`, when it is an object, are kept. Returns `undefined` when there is no user message
 * (the server answers 400).
 *
 * @example
 * ```ts
 * defaultChatInput({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }], input: { locale: 'en' } });
 * // { locale: 'en', question: 'Hi', history: [] }
 * ```
 */
export function defaultChatInput(request: ChatRequest): { question: string; history: HistoryMessage[] } | undefined {
  const messages = request.messages;
  let last = -1;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.role === 'user') {
      last = index;
      break;
    }
  }
  if (last < 0) return undefined;
  const history: HistoryMessage[] = [];
  for (const message of messages.slice(0, last)) {
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    const content = textOf(message);
    if (content !== '') history.push({ role: message.role, content });
  }
  const extra = typeof request.input === 'object' && request.input !== null && !Array.isArray(request.input);
  return { ...(extra ? (request.input as object) : {}), question: textOf(messages[last]!), history };
}

/** One earlier turn, as `respond`'s `messages: { from: 'input.history' }` reads it. */
interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
}

function textOf(message: ChatRequestMessage): string {
  let text = '';
  for (const part of message.parts) {
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  }
  return text;
}
