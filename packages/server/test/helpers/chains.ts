import { defineChain, invoke, respond, retrieve } from '@stepwise/core';
import { z } from 'zod';

export const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

/** A retrieve -> invoke -> respond chain with a zod input. */
export const qaChain = defineChain({
  name: 'qa',
  description: 'Answers questions from the docs.',
  input: z.object({
    question: z.string().min(1),
    history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).default([]),
  }),
  steps: [
    retrieve('docs', { knowledgeBaseId: 'kb-docs', query: '{{input.question}}', topK: 2 }),
    invoke('relevant', { model: MODEL, prompt: 'Is this relevant? {{input.question}}', output: 'boolean' }),
    respond('answer', { model: MODEL, prompt: '{{input.question}}', messages: { from: 'input.history' } }),
  ],
});

/** A chain without a schema and without a streamed answer. */
export const classifyChain = defineChain({
  name: 'classify',
  steps: [invoke('label', { model: MODEL, prompt: 'Label: {{input.text}}' })],
});
