import { modelFamilyOf } from './get-model-adapter';
import { isProviderModel } from './model-reference';
import type { BedrockApi } from './validate-model-request';

/**
 * How many stop sequences a Bedrock operation takes for a model, and the field that carries them (for messages).
 *
 * @example
 * ```ts
 * const limit: StopSequenceLimit = { max: 4, field: 'inferenceConfig.stopSequences' };
 * ```
 */
export interface StopSequenceLimit {
  max: number;
  /** The request field Bedrock checks (`inferenceConfig.stopSequences`, `stop_sequences`). */
  field: string;
}

/** Converse and ConverseStream (`respond`): Bedrock refuses a fifth entry of `inferenceConfig.stopSequences`. */
const CONVERSE: StopSequenceLimit = { max: 4, field: 'inferenceConfig.stopSequences' };
/** Anthropic Claude's Messages body on InvokeModel: Bedrock documents at most 8,191 `stop_sequences`. */
const ANTHROPIC: StopSequenceLimit = { max: 8191, field: 'stop_sequences' };

/**
 * The stop-sequence limit that Bedrock applies to a model on an operation, or `undefined` where none is documented
 * (Mistral's and Amazon Nova's InvokeModel bodies; Meta Llama 3's body takes no stop sequences and its adapter
 * leaves them out; another provider's model). One rule for `defineChain` (which refuses a step over it) and for
 * `validateModelRequest` (which the fakes call), so both runtimes and the emulator's Bedrock agree:
 * - `converse` (what `respond` uses): at most 4, whatever the model (`inferenceConfig.stopSequences`);
 * - `invoke-model` (what `invoke` uses) on Anthropic Claude: at most 8,191 (`stop_sequences`).
 *
 * @example
 * ```ts
 * stopSequenceLimit('anthropic.claude-3-haiku-20240307-v1:0', 'converse'); // { max: 4, field: 'inferenceConfig.stopSequences' }
 * stopSequenceLimit('meta.llama3-8b-instruct-v1:0', 'invoke-model'); // undefined
 * ```
 */
export function stopSequenceLimit(modelId: string, api: BedrockApi): StopSequenceLimit | undefined {
  if (isProviderModel(modelId)) return undefined;
  if (api === 'converse') return CONVERSE;
  return modelFamilyOf(modelId) === 'anthropic' ? ANTHROPIC : undefined;
}
