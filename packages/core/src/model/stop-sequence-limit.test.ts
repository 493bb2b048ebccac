import { describe, expect, it } from 'vitest';
import { defineChain } from '../chain/define-chain';
import { ChainDefinitionError } from '../errors/chain-definition-error';
import { invoke } from '../steps/invoke';
import { respond } from '../steps/respond';
import { stopSequenceLimit } from './stop-sequence-limit';
import { validateModelRequest } from './validate-model-request';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';

const stops = (count: number) => Array.from({ length: count }, (_, index) => `STOP${index}`);

describe('stop sequences: Bedrock limits their number per operation (and family)', () => {
  it('ConverseStream (respond) takes at most 4, whatever the model; Claude’s InvokeModel body at most 8,191', () => {
    for (const model of [HAIKU, NOVA, MISTRAL, LLAMA]) {
      expect(stopSequenceLimit(model, 'converse')).toEqual({ max: 4, field: 'inferenceConfig.stopSequences' });
    }
    expect(stopSequenceLimit(HAIKU, 'invoke-model')).toEqual({ max: 8191, field: 'stop_sequences' });
    // Not documented for Mistral's and Nova's bodies; Llama's body takes none (its adapter leaves them out).
    for (const model of [NOVA, MISTRAL, LLAMA]) expect(stopSequenceLimit(model, 'invoke-model')).toBeUndefined();
    expect(stopSequenceLimit('openai:gpt-4o-mini', 'converse')).toBeUndefined();
  });

  it('validateModelRequest (what the fakes call) refuses a fifth stop sequence on Converse as Bedrock does', () => {
    const request = (count: number, modelId = HAIKU) => ({
      modelId,
      messages: [{ role: 'user' as const, content: 'Hi' }],
      stopSequences: stops(count),
    });
    expect(() => validateModelRequest(request(4), 'converse')).not.toThrow();
    expect(() => validateModelRequest(request(5), 'converse')).toThrow(
      expect.objectContaining({
        error: 'Bedrock.ValidationException',
        message: 'inferenceConfig.stopSequences holds at most 4 sequences',
      }),
    );
    expect(() => validateModelRequest(request(5), 'invoke-model')).not.toThrow();
    expect(() => validateModelRequest(request(8192), 'invoke-model')).toThrow(/stop_sequences holds at most 8191/);
    expect(() => validateModelRequest(request(50, MISTRAL), 'invoke-model')).not.toThrow();
  });

  it('defineChain refuses a step whose stop sequences the call cannot take, and says why', () => {
    const refusal = (define: () => unknown): string => {
      try {
        define();
      } catch (error) {
        expect(ChainDefinitionError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      throw new Error('defineChain accepted the chain');
    };
    expect(
      refusal(() =>
        defineChain({ name: 'c', steps: [respond('answer', { model: HAIKU, prompt: 'Hi', stopSequences: stops(5) })] }),
      ),
    ).toMatch(
      /Step "answer".*stopSequences has 5 entries; Bedrock's ConverseStream \(what respond calls\) takes at most 4/,
    );
    expect(
      refusal(() =>
        defineChain({ name: 'c', steps: [invoke('ask', { model: HAIKU, prompt: 'Hi', stopSequences: stops(8192) })] }),
      ),
    ).toMatch(/Step "ask".*takes at most 8191 \(stop_sequences\)/);
    // Within the limits, and where none is documented, the chain is accepted.
    expect(() =>
      defineChain({ name: 'c', steps: [respond('answer', { model: NOVA, prompt: 'Hi', stopSequences: stops(4) })] }),
    ).not.toThrow();
    expect(() =>
      defineChain({ name: 'c', steps: [invoke('ask', { model: MISTRAL, prompt: 'Hi', stopSequences: stops(5) })] }),
    ).not.toThrow();
    expect(() =>
      defineChain({ name: 'c', steps: [invoke('ask', { model: HAIKU, prompt: 'Hi', stopSequences: stops(5) })] }),
    ).not.toThrow();
  });
});
