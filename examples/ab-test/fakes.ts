import type { ModelRequest } from '@stepwise/core';
import { type ExampleServices, type FakeLatency, stepFakes } from '@stepwise/example-common';
import { lastUserText } from '@stepwise/runtime-local';

/** The outliner (Nova Micro), faked: a three-point plan that names the question's subject. */
function outline(request: ModelRequest): string {
  const subject = lastUserText(request)
    .replace(/[?.!]+$/, '')
    .trim();
  return `1. What matters for: ${subject}\n2. The two or three options worth comparing\n3. One clear recommendation`;
}

/** The answering model, faked: one paragraph per outline point in the `outlined` variant, two sentences otherwise. */
function answer(request: ModelRequest): string {
  const system = request.system ?? '';
  const question = lastUserText(request);
  const points = [...system.matchAll(/^\d+\. (.+)$/gm)].map((match) => match[1]!);
  if (points.length > 0) {
    return points
      .map((point, index) => `${index + 1}. ${point}: here is what our gear experts say about it.`)
      .join('\n\n');
  }
  return `Good question: "${question}". Tell us where and when you will use it, and pick the lightest option that covers your coldest, wettest day.`;
}

/**
 * Fakes of the A/B example: an outliner and an answering model whose answer visibly follows the variant's prompt.
 * The same fakes serve runtime-local and the Step Functions emulator.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime({ ...abTestFakes(), random: () => 0.9 }); // always the second variant
 * ```
 */
export function abTestFakes(latency: FakeLatency = {}): ExampleServices {
  return stepFakes({ outline, finalAnswer: answer }, latency);
}
