import type { ModelRequest } from '@stepwise/core';
import { type ExampleServices, type FakeLatency, stepFakes } from '@stepwise/example-common';
import { lastUserText } from '@stepwise/runtime-local';

/** The classifier, faked with keyword rules, answering JSON as the real one is told to. */
function topic(request: ModelRequest): string {
  const text = lastUserText(request).toLowerCase();
  if (/charge|bill|invoice|refund|paid|payment/.test(text)) return '{"topic": "billing"}';
  if (/broken|zip|pole|leak|repair|fix|error/.test(text)) return '{"topic": "technical"}';
  return '{"topic": "other"}';
}

/** The answering model, faked: follows the brief the chain put in the system prompt. */
function answer(request: ModelRequest): string {
  const system = request.system ?? '';
  if (system.includes('about billing')) {
    return 'Sorry about the double charge! Send me the order number and I will refund the second one; refunds take 5 business days.';
  }
  if (system.includes('is technical')) {
    return '1. Close the zip fully. 2. Rub the teeth with a candle. 3. If it still splits, send us a photo and we repair it for free.';
  }
  return 'Happy to help! Tell me a little more about what you are looking for.';
}

/**
 * Fakes of the any-provider example: a keyword classifier and an answer model that follows the chosen brief. The
 * same fakes answer on runtime-local and, on Step Functions, behind the loopback APIs the emulator's HTTP Tasks call.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(anyProviderFakes({ firstTokenMs: 150, tokenMs: 12 }));
 * ```
 */
export function anyProviderFakes(latency: FakeLatency = {}): ExampleServices {
  return stepFakes({ topic, advise: answer }, latency);
}
