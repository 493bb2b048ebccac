import { type ChainEvent, type ChainResult, defineChain, invoke, transform } from '@stepwise/core';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { invokeChain } from './invoke-chain';
import { streamChain } from './stream-chain';

const qa = defineChain({
  name: 'qa',
  input: z.object({ question: z.string(), limit: z.number().default(3) }),
  steps: [
    invoke('check', {
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      prompt: '{{input.question}}',
      output: 'boolean',
    }),
    transform('shape', { set: { relevant: 'steps.check.value', limit: 'input.limit' } }),
  ],
});
const URL = 'http://127.0.0.1:8080/v1/chains/qa';

describe('client types given typeof chain', () => {
  it('invokeChain takes the chain input and resolves with its output', async () => {
    const result = await invokeChain<typeof qa>(URL, { question: 'Why?' });
    expectTypeOf(result).toEqualTypeOf<ChainResult<{ relevant: boolean; limit: number }>>();
    // @ts-expect-error: a typo in the input object
    await invokeChain<typeof qa>(URL, { qestion: 'Why?' });
    // @ts-expect-error: limit is a number
    await invokeChain<typeof qa>(URL, { question: 'Why?', limit: '3' });
  });
  it('streamChain takes the chain input; chain-end carries its output', async () => {
    for await (const event of streamChain<typeof qa>(URL, { question: 'Why?', limit: 2 })) {
      expectTypeOf(event).toEqualTypeOf<ChainEvent<{ relevant: boolean; limit: number }>>();
      if (event.type === 'chain-end') expectTypeOf(event.output.relevant).toEqualTypeOf<boolean>();
    }
    // @ts-expect-error: the question is required
    streamChain<typeof qa>(URL, {});
  });
  it('without the chain type, takes and gives unknown', async () => {
    const result = await invokeChain(URL, { anything: 1 });
    expectTypeOf(result.output).toEqualTypeOf<unknown>();
    for await (const event of streamChain(URL, 42)) expectTypeOf(event).toEqualTypeOf<ChainEvent>();
  });
});
