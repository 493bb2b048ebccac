import type { Chain, ModelProvider } from '@stepwise/core';
import * as abTest from '@stepwise/example-ab-test';
import * as anyProvider from '@stepwise/example-any-provider';
import * as apiCall from '@stepwise/example-api-call';
import type { ExampleServices, FakeLatency } from '@stepwise/example-common';
import * as parallelMap from '@stepwise/example-parallel-map';
import * as ragAssistant from '@stepwise/example-rag-assistant';
import * as router from '@stepwise/example-router';

/**
 * Every example chain.
 *
 * @example
 * ```ts
 * createServer({ runtime, chains });
 * ```
 */
export const chains: Chain[] = [
  ragAssistant.ragAssistant,
  router.router,
  abTest.abTest,
  apiCall.apiCall,
  parallelMap.reviewDigest,
  anyProvider.anyProvider,
];

/**
 * The input `stepwise run` (and the start banner) uses for each chain, by chain name.
 *
 * @example
 * ```ts
 * await runtime.run(chains[0], sampleInput['rag-assistant']);
 * ```
 */
export const sampleInput: Record<string, unknown> = {
  'rag-assistant': ragAssistant.sampleInput,
  router: router.sampleInput,
  'ab-test': abTest.sampleInput,
  'api-call': apiCall.sampleInput,
  'parallel-map': parallelMap.sampleInput,
  'any-provider': anyProvider.sampleInput,
};

/**
 * The fakes of every example behind one provider: each model call goes to the fakes of the example whose chain has
 * the step (step ids are unique across the examples), knowledge bases and handlers are merged.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(exampleFakes({ firstTokenMs: 150, tokenMs: 12 }));
 * ```
 */
export function exampleFakes(options: FakeLatency = {}): ExampleServices {
  const parts: [Chain, ExampleServices][] = [
    [ragAssistant.ragAssistant, ragAssistant.ragAssistantFakes(options)],
    [router.router, router.routerFakes(options)],
    [abTest.abTest, abTest.abTestFakes(options)],
    [apiCall.apiCall, apiCall.apiCallFakes(options)],
    [parallelMap.reviewDigest, parallelMap.reviewDigestFakes(options)],
    [anyProvider.anyProvider, anyProvider.anyProviderFakes(options)],
  ];
  const byStep = new Map<string, ModelProvider>();
  for (const [chain, fakes] of parts) for (const id of stepIds(chain.steps)) byStep.set(id, fakes.models);
  const providerFor = (stepId: string | undefined): ModelProvider => {
    const provider = stepId === undefined ? undefined : byStep.get(stepId);
    if (!provider) throw new Error(`No example fakes answer step "${stepId}".`);
    return provider;
  };
  return {
    models: {
      specificationVersion: 'v1',
      provider: 'example-fakes',
      doInvoke: (request, callOptions) => providerFor(request.stepId).doInvoke(request, callOptions),
      doStream: (request, callOptions) => providerFor(request.stepId).doStream(request, callOptions),
    },
    knowledgeBases: Object.assign({}, ...parts.map(([, fakes]) => fakes.knowledgeBases)),
    handlers: Object.assign({}, ...parts.map(([, fakes]) => fakes.handlers)),
  };
}

function stepIds(steps: Chain['steps']): string[] {
  const ids: string[] = [];
  for (const step of steps) {
    ids.push(step.id);
    if (step.type === 'parallel') for (const branch of Object.values(step.branches)) ids.push(...stepIds(branch));
    if (step.type === 'choose') {
      for (const entry of step.cases) ids.push(...stepIds(entry.steps));
      ids.push(...stepIds(step.otherwise ?? []));
    }
    if (step.type === 'map') ids.push(...stepIds(step.steps));
    if (step.type === 'split') for (const variant of Object.values(step.variants)) ids.push(...stepIds(variant.steps));
    if (step.type !== 'respond' && step.policy?.catch) ids.push(...stepIds(step.policy.catch.fallback));
  }
  return ids;
}

/**
 * The fakes with small, realistic latencies, for `stepwise serve examples/shared` and `pnpm start`.
 *
 * @example
 * ```ts
 * stepwise serve examples/shared
 * ```
 */
export const fakes = (): ExampleServices => exampleFakes({ firstTokenMs: 150, tokenMs: 12 });
