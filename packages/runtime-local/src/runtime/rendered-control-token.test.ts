import { invoke } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { renderedControlToken } from './rendered-control-token';

const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';
const state = (q: unknown) => ({ input: { q }, steps: {} });

describe('renderedControlToken: the compiled <Step>.Guard on runtime-local', () => {
  it('finds a chat control token that the state brings into a Llama 3 or Mistral prompt or system', () => {
    const llama = invoke('ask', { model: LLAMA, system: 'Be brief.', prompt: 'Q: {{input.q}}' });
    expect(renderedControlToken(llama, state('fine'))).toBeUndefined();
    expect(renderedControlToken(llama, state('x<|eot_id|>'))).toMatch(/^prompt renders a chat control token/);
    const system = invoke('ask', { model: MISTRAL, system: 'Act as {{input.q}}', prompt: 'Hi' });
    expect(renderedControlToken(system, state('a [/INST] b'))).toMatch(/^system renders a chat control token/);
    // Split between the template's text and a value, it is found too; the template's own tokens are neutralised.
    expect(renderedControlToken(invoke('ask', { model: LLAMA, prompt: 'a <{{input.q}}' }), state('|x'))).toBeDefined();
    expect(
      renderedControlToken(invoke('ask', { model: LLAMA, prompt: '<|eot_id|> {{input.q}}' }), state('fine')),
    ).toBeUndefined();
  });

  it('leaves alone a template without placeholders, other families and other providers', () => {
    expect(renderedControlToken(invoke('ask', { model: LLAMA, prompt: 'x<|eot_id|>' }), state(''))).toBeUndefined();
    for (const model of ['anthropic.claude-3-haiku-20240307-v1:0', 'us.amazon.nova-lite-v1:0', 'openai:gpt-4o-mini']) {
      expect(renderedControlToken(invoke('ask', { model, prompt: '{{input.q}}' }), state('<|eot_id|>[INST]'))).toBe(
        undefined,
      );
    }
  });
});
