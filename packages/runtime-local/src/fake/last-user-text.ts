import type { ModelRequest } from '@stepwise/core';

/**
 * The text of a request's last user message, or `''` when it has none: what a fake model usually answers from when
 * {@link fakeModels} responds "by a function of the request" (the step's rendered prompt, after any chat history).
 *
 * @example
 * ```ts
 * const models = fakeModels({
 *   byStep: { answer: 'Refunds take 14 days.' },
 *   respond: (request) => (/refund/i.test(lastUserText(request)) ? 'true' : 'false'),
 * });
 * ```
 */
export function lastUserText(request: ModelRequest): string {
  return request.messages.findLast((message) => message.role === 'user')?.content ?? '';
}
