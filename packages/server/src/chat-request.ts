/**
 * One message of a `/chat` request, as the AI SDK `useChat` sends it (a `UIMessage`).
 *
 * @example
 * ```ts
 * const message: ChatRequestMessage = { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] };
 * ```
 */
export interface ChatRequestMessage {
  id?: string;
  role: 'system' | 'user' | 'assistant';
  /** Message parts; only `text` parts are read. */
  parts: Array<{ type: string; text?: string; [key: string]: unknown }>;
}

/**
 * The body of `POST /v1/chains/:name/chat`, as the AI SDK `useChat` default transport sends it:
 * the chat id, every message so far, and whatever extra `body` the app passes (for example `input`).
 *
 * @example
 * ```ts
 * const request: ChatRequest = {
 *   id: 'chat-1',
 *   messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'What is stepwise?' }] }],
 * };
 * ```
 */
export interface ChatRequest {
  id?: string;
  messages: ChatRequestMessage[];
  trigger?: string;
  messageId?: string;
  /** Extra chain input sent with `useChat`'s `body: { input: {...} }`; the default mapping merges it in. */
  input?: unknown;
  [key: string]: unknown;
}
