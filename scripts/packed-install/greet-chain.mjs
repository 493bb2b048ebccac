// A chain file for the `stepwise` command (run and compile), used by scripts/check-packed-install.mjs.
import { defineChain, invoke, respond } from '@stepwise/core';
import { fakeModels } from '@stepwise/runtime-local';

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';

export const greet = defineChain({
  name: 'greet',
  steps: [
    invoke('friendly', { model: haiku, prompt: 'Is {{input.name}} friendly? true or false', output: 'boolean' }),
    respond('answer', { model: haiku, prompt: 'Greet {{input.name}}.' }),
  ],
});

export const fakes = { models: fakeModels({ byStep: { friendly: 'true', answer: 'Hello, Ada! Nice to meet you.' } }) };

export const sampleInput = { name: 'Ada' };
