import type { KnowledgeBase, ModelRequest, TaskHandler } from '@stepwise/core';
import { fakeModels } from '@stepwise/runtime-local';
import type { ExampleServices } from './example-services';
import type { FakeLatency } from './fake-latency';

/** Options of {@link stepFakes}: the fake models' latencies, and the knowledge bases and handlers to serve. */
export interface StepFakesOptions extends FakeLatency {
  /** Knowledge bases by id. Default none. */
  knowledgeBases?: Record<string, KnowledgeBase>;
  /** Task handlers by name. Default none. */
  handlers?: Record<string, TaskHandler>;
}

/**
 * An example's fakes: fake models that answer each step with a function of its request (a call for a step without
 * one fails, as `fakeModels` does), and the given knowledge bases and handlers.
 *
 * @example
 * ```ts
 * const fakes = stepFakes(
 *   { classify: (request) => (/cancel/.test(lastUserText(request)) ? 'true' : 'false'), reply: () => 'Thanks!' },
 *   { firstTokenMs: 150, tokenMs: 12, handlers: { createRetentionOffer } },
 * );
 * const runtime = createLocalRuntime(fakes);
 * ```
 */
export function stepFakes(
  answers: Record<string, (request: ModelRequest) => string>,
  options: StepFakesOptions = {},
): ExampleServices {
  return {
    models: fakeModels({
      respond: (request) => answers[request.stepId ?? '']?.(request),
      firstTokenMs: options.firstTokenMs ?? 0,
      tokenMs: options.tokenMs ?? 0,
    }),
    knowledgeBases: options.knowledgeBases ?? {},
    handlers: options.handlers ?? {},
  };
}
