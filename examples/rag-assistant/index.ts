import type { ChainInput } from '@stepwise/core';
import type { ragAssistant } from './chain';

export { KNOWLEDGE_BASE_ID, ragAssistant, ragAssistantInput } from './chain';
export { helpCentreDocuments } from './documents';
export { ragAssistantFakes } from './fakes';

import { ragAssistantFakes } from './fakes';

/**
 * The fakes with small, realistic latencies, for `stepwise run`, `stepwise serve` and `pnpm start`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(fakes());
 * ```
 */
export const fakes = () => ragAssistantFakes({ firstTokenMs: 150, tokenMs: 12 });

/**
 * The input `stepwise run` uses when no `--input` is given: a follow-up question with some chat history.
 *
 * @example
 * ```ts
 * await runtime.run(ragAssistant, sampleInput);
 * ```
 */
export const sampleInput = {
  question: 'Can I return hiking boots I have already worn?',
  history: [
    { role: 'user', content: 'Hi! I bought boots from you last month.' },
    { role: 'assistant', content: 'Hello! Happy to help with your boots. What do you need?' },
  ],
} satisfies ChainInput<typeof ragAssistant>;
