import { ChainDefinitionError } from '../errors/chain-definition-error';
import { anthropicAdapter } from './adapters/anthropic';
import { metaLlamaAdapter } from './adapters/meta-llama';
import { mistralAdapter } from './adapters/mistral';
import { novaAdapter } from './adapters/nova';
import type { ModelFamily, ModelFamilyAdapter } from './model-family-adapter';

const PROFILE_PREFIX = /^(?:us|eu|apac|us-gov|ca|jp|au|global)\./;
const ADAPTERS: ReadonlyArray<readonly [prefix: string, adapter: ModelFamilyAdapter]> = [
  ['anthropic.', anthropicAdapter],
  ['meta.llama3', metaLlamaAdapter],
  ['amazon.nova', novaAdapter],
  ['mistral.', mistralAdapter],
];

/**
 * The model family of a Bedrock model id or inference-profile id (`us.`, `eu.`, `global.` ... prefixes are ignored),
 * or `undefined` when stepwise does not speak it.
 *
 * @example
 * ```ts
 * modelFamilyOf('us.amazon.nova-lite-v1:0'); // 'amazon-nova'
 * ```
 */
export function modelFamilyOf(modelId: string): ModelFamily | undefined {
  return findAdapter(modelId)?.family;
}

/**
 * The adapter for a model id. Throws `ChainDefinitionError` listing the supported families for an unknown one.
 *
 * @example
 * ```ts
 * const adapter = getModelAdapter('meta.llama3-8b-instruct-v1:0');
 * adapter.buildBody({ modelId: 'meta.llama3-8b-instruct-v1:0', messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 */
export function getModelAdapter(modelId: string): ModelFamilyAdapter {
  const adapter = findAdapter(modelId);
  if (!adapter) {
    throw new ChainDefinitionError(
      `Model "${modelId}" is not supported. Supported families: Anthropic Claude (anthropic.*), Meta Llama 3 (meta.llama3*), ` +
        'Amazon Nova (amazon.nova*), Mistral (mistral.*), optionally behind an inference-profile prefix such as "us.".',
    );
  }
  return adapter;
}

function findAdapter(modelId: string): ModelFamilyAdapter | undefined {
  const bare = modelId.replace(PROFILE_PREFIX, '');
  for (const [prefix, adapter] of ADAPTERS) if (bare.startsWith(prefix)) return adapter;
  return undefined;
}
