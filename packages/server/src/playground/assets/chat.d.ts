// Types of chat.js, for the TypeScript tests that import it.

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  state: 'done' | 'streaming' | 'failed' | 'stopped';
}
export interface Conversation {
  id: string;
  messages: ChatMessage[];
  next: number;
}
export type ChatBody = {
  id: string;
  messages: { id: string; role: 'user' | 'assistant'; parts: { type: 'text'; text: string }[] }[];
  trigger: 'submit-message';
  input?: Record<string, unknown>;
};

export declare function chatPath(chain: { steps: any[] }): string | undefined;
export declare function createConversation(): Conversation;
export declare function addMessage(conversation: Conversation, role: 'user' | 'assistant', text: string): ChatMessage;
export declare function chatRequest(conversation: Conversation, input: Record<string, unknown> | undefined): ChatBody;
export declare function chatInputOf(request: ChatBody): Record<string, unknown> & {
  question: string;
  history: { role: string; content: string }[];
};
