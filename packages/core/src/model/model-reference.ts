import { ChainDefinitionError } from '../errors/chain-definition-error';
import { getModelAdapter } from './get-model-adapter';

/**
 * The providers a model reference can name with a prefix, after the AI SDK's provider-registry convention
 * (`openai:gpt-4o-mini`): OpenAI's Chat Completions API, Anthropic's Messages API, and one OpenAI-compatible endpoint
 * (a gateway, a local Ollama, Mistral's API) that each runtime is configured with.
 *
 * @example
 * ```ts
 * MODEL_PROVIDERS.includes('openai'); // true
 * ```
 */
export const MODEL_PROVIDERS = ['openai', 'anthropic', 'compatible'] as const;

/**
 * A provider a model reference names: `bedrock` for a bare Bedrock model id, or one of {@link MODEL_PROVIDERS}.
 *
 * @example
 * ```ts
 * const provider: ModelProviderName = parseModelReference('openai:gpt-4o-mini').provider; // 'openai'
 * ```
 */
export type ModelProviderName = 'bedrock' | (typeof MODEL_PROVIDERS)[number];

/**
 * A model reference read apart: its provider and the provider's own model id.
 *
 * @example
 * ```ts
 * const ref: ModelReference = parseModelReference('anthropic:claude-sonnet-4-5');
 * // { reference: 'anthropic:claude-sonnet-4-5', provider: 'anthropic', model: 'claude-sonnet-4-5' }
 * ```
 */
export interface ModelReference {
  /** The reference as written in the chain. */
  reference: string;
  provider: ModelProviderName;
  /** The model id the provider knows: the part after the prefix, or the whole Bedrock model id. */
  model: string;
}

/** A provider prefix: lower-case letters, digits and dashes before the first `:` (Bedrock ids have a dot there). */
const PREFIX = /^([a-z][a-z0-9-]*):(.*)$/s;
const KNOWN: ReadonlySet<string> = new Set(MODEL_PROVIDERS);

/**
 * Reads a model reference. `provider:model` names a provider (`openai:gpt-4o-mini`, `anthropic:claude-sonnet-4-5`,
 * `compatible:llama3.2`); a bare id, or an ARN, is a Bedrock model id or inference-profile id, so every chain written
 * for Bedrock keeps its meaning (`anthropic.claude-3-haiku-20240307-v1:0` has a dot before its colon, no prefix).
 * Throws `ChainDefinitionError` for a prefix that is not a known provider (listing the known ones) or an empty model.
 *
 * @example
 * ```ts
 * parseModelReference('openai:gpt-4o-mini'); // { provider: 'openai', model: 'gpt-4o-mini', ... }
 * parseModelReference('us.amazon.nova-lite-v1:0'); // { provider: 'bedrock', model: 'us.amazon.nova-lite-v1:0', ... }
 * parseModelReference('mistral:large'); // throws: unknown provider "mistral"; known: openai, anthropic, compatible
 * ```
 */
export function parseModelReference(reference: string): ModelReference {
  const match = PREFIX.exec(reference);
  if (!match || match[1] === 'arn') return { reference, provider: 'bedrock', model: reference };
  const [, prefix, model] = match as unknown as [string, string, string];
  if (!KNOWN.has(prefix)) {
    throw new ChainDefinitionError(
      `Model "${reference}" names the unknown provider "${prefix}". Known providers: ${MODEL_PROVIDERS.join(', ')} ` +
        `(as "${MODEL_PROVIDERS[0]}:<model>"); a Bedrock model id takes no prefix.`,
    );
  }
  if (model.trim() === '') {
    throw new ChainDefinitionError(`Model "${reference}" names provider "${prefix}" but no model after the colon.`);
  }
  return { reference, provider: prefix as ModelProviderName, model };
}

/**
 * Whether a model reference names a provider other than Bedrock (`openai:...`, `anthropic:...`, `compatible:...`).
 * Never throws: an unknown prefix is not a known provider.
 *
 * @example
 * ```ts
 * isProviderModel('openai:gpt-4o-mini'); // true
 * isProviderModel('anthropic.claude-3-haiku-20240307-v1:0'); // false
 * ```
 */
export function isProviderModel(reference: string): boolean {
  const match = PREFIX.exec(reference);
  return match !== null && KNOWN.has(match[1]!) && match[2]!.trim() !== '';
}

/**
 * Checks a model reference as `defineChain` does: a known provider and a model, or a Bedrock model id of a family
 * stepwise speaks. Throws `ChainDefinitionError` naming what is wrong.
 *
 * @example
 * ```ts
 * checkModelReference('compatible:llama3.2'); // ok
 * checkModelReference('cohere.command-r-v1:0'); // throws: Model "cohere.command-r-v1:0" is not supported ...
 * ```
 */
export function checkModelReference(reference: string): ModelReference {
  const parsed = parseModelReference(reference);
  if (parsed.provider === 'bedrock') getModelAdapter(reference);
  return parsed;
}
