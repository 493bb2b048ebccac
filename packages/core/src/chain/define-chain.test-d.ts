import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { transform } from '../steps/transform';
import type { Chain } from './chain';
import { defineChain } from './define-chain';
import { validateInput } from './validate-input';

describe('defineChain types', () => {
  it('infers the input type from a zod schema', () => {
    const chain = defineChain({
      name: 'typed',
      input: z.object({ question: z.string(), limit: z.number().default(5) }),
      steps: [transform('echo', { set: { q: 'input.question' } })],
    });
    expectTypeOf(chain).toEqualTypeOf<Chain<{ question: string; limit: number }>>();
    expectTypeOf(validateInput(chain, {})).resolves.toEqualTypeOf<{ question: string; limit: number }>();
  });
  it('is Chain<unknown> without a schema', () => {
    const chain = defineChain({ name: 'untyped', steps: [transform('echo', { set: { a: 1 } })] });
    expectTypeOf(chain).toEqualTypeOf<Chain<unknown>>();
  });
});
