import { isProviderModel, type ModelProvider } from '@stepwise/core';

/**
 * One model provider over two: other providers' models (`openai:gpt-4o-mini`) go to `others`, Bedrock model ids to
 * `bedrock`. The CLI uses it on the local runtime with real models when a chain file exports `models`.
 *
 * @example
 * ```ts
 * const models = routeModels(bedrockModels(), aiSdkModels({ openai: createOpenAI() }));
 * ```
 */
export function routeModels(bedrock: ModelProvider, others: ModelProvider): ModelProvider {
  const pick = (modelId: string) => (isProviderModel(modelId) ? others : bedrock);
  return {
    specificationVersion: 'v1',
    provider: `${bedrock.provider}+${others.provider}`,
    doInvoke: (request, options) => pick(request.modelId).doInvoke(request, options),
    doStream: (request, options) => pick(request.modelId).doStream(request, options),
  };
}
