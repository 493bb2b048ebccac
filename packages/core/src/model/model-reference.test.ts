import { describe, expect, it } from 'vitest';
import { defineChain } from '../chain/define-chain';
import { ChainDefinitionError } from '../errors/chain-definition-error';
import { ModelError } from '../errors/model-error';
import { invoke } from '../steps/invoke';
import { respond } from '../steps/respond';
import { checkModelReference, isProviderModel, MODEL_PROVIDERS, parseModelReference } from './model-reference';
import { httpTaskErrorsOf, providerError, providerErrorOfHttpTask, providerErrorOfStatus } from './provider-errors';
import { validateModelRequest } from './validate-model-request';

describe('model references', () => {
  it('read a provider prefix, and keep a bare id as a Bedrock model id', () => {
    expect(parseModelReference('openai:gpt-4o-mini')).toEqual({
      reference: 'openai:gpt-4o-mini',
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(parseModelReference('anthropic:claude-sonnet-4-5').provider).toBe('anthropic');
    expect(parseModelReference('compatible:meta-llama/Llama-3.1-8B:free').model).toBe('meta-llama/Llama-3.1-8B:free');
    for (const bedrock of [
      'anthropic.claude-3-haiku-20240307-v1:0',
      'us.amazon.nova-lite-v1:0',
      'meta.llama3-8b-instruct-v1:0',
      'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0',
    ]) {
      expect(parseModelReference(bedrock)).toEqual({ reference: bedrock, provider: 'bedrock', model: bedrock });
      expect(isProviderModel(bedrock)).toBe(false);
    }
    expect(isProviderModel('openai:gpt-4o-mini')).toBe(true);
    expect(isProviderModel('mistral:large')).toBe(false);
  });

  it('refuse an unknown provider, listing the known ones, and a missing model', () => {
    expect(() => parseModelReference('mistral:mistral-large')).toThrow(ChainDefinitionError);
    expect(() => parseModelReference('mistral:mistral-large')).toThrow(
      `unknown provider "mistral". Known providers: ${MODEL_PROVIDERS.join(', ')}`,
    );
    expect(() => parseModelReference('openai:')).toThrow('no model after the colon');
    expect(() => checkModelReference('cohere.command-r-v1:0')).toThrow('is not supported');
    expect(checkModelReference('compatible:llama3.2').provider).toBe('compatible');
  });

  it('defineChain takes provider models and refuses unknown providers with the step id', () => {
    const chain = defineChain({
      name: 'providers',
      steps: [
        invoke('classify', { model: 'openai:gpt-4o-mini', prompt: 'Is this spam? {{input.text}}', output: 'boolean' }),
        respond('answer', { model: 'anthropic:claude-sonnet-4-5', prompt: '{{input.text}}' }),
      ],
    });
    expect(chain.steps).toHaveLength(2);
    let failure: unknown;
    try {
      defineChain({ name: 'bad', steps: [invoke('x', { model: 'gemini:flash', prompt: 'hi' })] });
    } catch (error) {
      failure = error;
    }
    expect(ChainDefinitionError.isInstance(failure)).toBe(true);
    expect((failure as ChainDefinitionError).stepId).toBe('x');
    expect((failure as Error).message).toContain('Known providers: openai, anthropic, compatible');
  });
});

describe('provider errors', () => {
  it('name HTTP statuses and the HTTP Task errors alike', () => {
    expect(providerErrorOfStatus(429)).toBe('Provider.RateLimited');
    expect(providerErrorOfStatus(529)).toBe('Provider.ServerError');
    expect(providerErrorOfStatus(401)).toBe('Provider.Unauthorized');
    expect(providerErrorOfStatus(422)).toBe('Provider.BadRequest');
    expect(providerErrorOfStatus(undefined)).toBe('Provider.ConnectionError');
    expect(providerErrorOfHttpTask('States.Http.StatusCode.429')).toBe('Provider.RateLimited');
    expect(providerErrorOfHttpTask('States.Http.StatusCode.418')).toBe('Provider.BadRequest');
    expect(providerErrorOfHttpTask('States.Http.Socket')).toBe('Provider.ConnectionError');
    expect(providerErrorOfHttpTask('States.TaskFailed')).toBeUndefined();
    // Every HTTP Task name a provider error stands for maps back to it.
    for (const name of [
      'Provider.BadRequest',
      'Provider.Unauthorized',
      'Provider.RateLimited',
      'Provider.ServerError',
    ]) {
      expect(httpTaskErrorsOf(name).length).toBeGreaterThan(0);
      for (const http of httpTaskErrorsOf(name)) expect(providerErrorOfHttpTask(http)).toBe(name);
    }
    expect(httpTaskErrorsOf('Bedrock.ThrottlingException')).toEqual([]);
  });

  it('are ModelErrors, retryable when waiting may help', () => {
    const throttled = providerError('slow down', { status: 429 });
    expect(ModelError.isInstance(throttled)).toBe(true);
    expect(throttled).toMatchObject({ error: 'Provider.RateLimited', statusCode: 429, retryable: true });
    expect(providerError('no', { status: 400 }).retryable).toBe(false);
    expect(providerError('cut', { error: 'Provider.StreamCut' }).retryable).toBe(true);
  });

  it('hold requests to the provider API rules, under the provider names', () => {
    expect(() => validateModelRequest({ modelId: 'openai:gpt-4o-mini', messages: [] }, 'invoke-model')).toThrow(
      expect.objectContaining({ error: 'Provider.BadRequest', statusCode: 400 }),
    );
    // Chat Completions takes a conversation Converse would refuse (two user turns in a row).
    const twoUsers = {
      modelId: 'compatible:llama3.2',
      messages: [
        { role: 'user' as const, content: 'a' },
        { role: 'user' as const, content: 'b' },
      ],
    };
    expect(() => validateModelRequest(twoUsers, 'converse')).not.toThrow();
    expect(() => validateModelRequest({ ...twoUsers, modelId: 'anthropic:claude-sonnet-4-5' }, 'converse')).toThrow(
      expect.objectContaining({ error: 'Provider.BadRequest' }),
    );
  });
});
