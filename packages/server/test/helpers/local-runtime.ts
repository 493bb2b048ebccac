import type { ModelProvider, ModelStreamPart, PushIterable } from '@stepwise/core';
import { createLocalRuntime, type FakeModelsOptions, fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';

export const ANSWER = 'Stepwise runs prompt chains — ça marche 🚀';

/**
 * runtime-local with fake models for the `qa` chain (the `relevant` step answers `true`, `answer` streams
 * {@link ANSWER}) and an in-memory `kb-docs` knowledge base. `counter.deltas` counts the text deltas the fake model
 * produced, whether or not anyone read them.
 */
export function localRuntime(options: FakeModelsOptions = {}) {
  const models = fakeModels({
    byStep: { relevant: 'true', answer: ANSWER, ...options.byStep },
    ...withoutByStep(options),
  });
  const counter = { deltas: 0, streams: 0 };
  // Counts what the fake produces and keeps its push delivery, so the server is tested on the path users get.
  const counted: ModelProvider = {
    ...models,
    doStream(request, callOptions): PushIterable<ModelStreamPart> {
      counter.streams++;
      const parts = models.doStream(request, callOptions) as PushIterable<ModelStreamPart>;
      const count = (part: ModelStreamPart) => {
        if (part.type === 'text-delta') counter.deltas++;
        return part;
      };
      return {
        async *[Symbol.asyncIterator]() {
          for await (const part of parts) yield count(part);
        },
        forEach: (listener) =>
          parts.forEach((part) => {
            listener(count(part));
          }),
      };
    },
  };
  const runtime = createLocalRuntime({
    models: counted,
    knowledgeBases: {
      'kb-docs': memoryKnowledgeBase([
        { text: 'Stepwise runs prompt chains locally or on Step Functions.', source: 's3://docs/intro.md' },
        { text: 'Shipping is free over 50 euros.', source: 's3://docs/shipping.md' },
      ]),
    },
  });
  return { runtime, models, counter };
}

function withoutByStep(options: FakeModelsOptions): FakeModelsOptions {
  const { byStep: _byStep, ...rest } = options;
  return rest;
}
