import { parseModelReference } from '../model/model-reference';

/**
 * A model reference as the GenAI semantic conventions name it: `gen_ai.provider.name` (`aws.bedrock` for a Bedrock
 * model id, `openai`, `anthropic`, and `compatible` for the one OpenAI-compatible endpoint, whose real provider the
 * runtime does not know) and `gen_ai.request.model`, the provider's own model id.
 *
 * @example
 * ```ts
 * genAiModelOf('openai:gpt-4o-mini'); // { provider: 'openai', model: 'gpt-4o-mini' }
 * genAiModelOf('us.amazon.nova-lite-v1:0'); // { provider: 'aws.bedrock', model: 'us.amazon.nova-lite-v1:0' }
 * ```
 */
export function genAiModelOf(reference: string): { provider: string; model: string } {
  const parsed = parseModelReference(reference);
  return { provider: parsed.provider === 'bedrock' ? 'aws.bedrock' : parsed.provider, model: parsed.model };
}
