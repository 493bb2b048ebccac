// Chat mode: a conversation kept in the page and sent whole to `/chat`, as the AI SDK's `useChat` sends it
// (`{ id, messages: [{ id, role, parts: [{ type: 'text', text }] }], trigger }`, plus extra chain input).
// No DOM here: the tests run it in Node.

/**
 * Whether a chain can be chatted with: its answer (`respond`) reads a conversation (`messages: { from }`).
 *
 * @param {{ steps: any[] }} chain
 * @returns {string | undefined} the path the conversation is read from
 */
export function chatPath(chain) {
  const last = chain.steps.at(-1);
  return last?.type === 'respond' && last.messages ? last.messages.from : undefined;
}

/**
 * A new, empty conversation.
 *
 * @returns {Conversation}
 */
export function createConversation() {
  const random = globalThis.crypto?.randomUUID?.() ?? String(Math.random()).slice(2);
  return { id: `chat-${random}`, messages: [], next: 1 };
}

/**
 * Adds a message; returns it.
 *
 * @param {Conversation} conversation
 * @param {'user' | 'assistant'} role
 * @param {string} text
 * @returns {ChatMessage}
 */
export function addMessage(conversation, role, text) {
  const message = { id: `m${conversation.next++}`, role, text, state: role === 'user' ? 'done' : 'streaming' };
  conversation.messages.push(message);
  return message;
}

/**
 * The body of the `/chat` request for the conversation so far: every finished message (an answer that broke off or
 * was stopped is not sent back as if it were whole), and `input` when there is extra chain input.
 *
 * @param {Conversation} conversation
 * @param {Record<string, unknown> | undefined} input
 */
export function chatRequest(conversation, input) {
  const body = {
    id: conversation.id,
    messages: conversation.messages
      .filter((message) => message.state === 'done')
      .map((message) => ({ id: message.id, role: message.role, parts: [{ type: 'text', text: message.text }] })),
    trigger: 'submit-message',
  };
  if (input && Object.keys(input).length > 0) body.input = input;
  return body;
}

/**
 * The chain input the server's default mapping makes of a chat request (`{ ...input, question, history }`), for the
 * CLI command that reproduces a chat turn.
 *
 * @param {ReturnType<typeof chatRequest>} request
 */
export function chatInputOf(request) {
  const messages = request.messages;
  let last = -1;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index].role === 'user') {
      last = index;
      break;
    }
  }
  const text = (message) => message.parts.map((part) => part.text ?? '').join('');
  const history = messages
    .slice(0, Math.max(last, 0))
    .filter((message) => text(message) !== '')
    .map((message) => ({ role: message.role, content: text(message) }));
  return { ...(request.input ?? {}), question: last >= 0 ? text(messages[last]) : '', history };
}

/**
 * @typedef {{ id: string, role: 'user' | 'assistant', text: string, state: 'done' | 'streaming' | 'failed' | 'stopped' }} ChatMessage
 * @typedef {{ id: string, messages: ChatMessage[], next: number }} Conversation
 */
