import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { and, eq, isTrue } from '../condition/builders';
import type { Condition } from '../condition/condition';
import { transform } from '../steps/transform';
import type { Chain } from './chain';
import { defineChain } from './define-chain';
import { validateInput } from './validate-input';

describe('defineChain types', () => {
  it('infers the input types from a zod schema: what run takes, and what the steps read', () => {
    const chain = defineChain({
      name: 'typed',
      input: z.object({ question: z.string(), limit: z.number().default(5) }),
      steps: [transform('echo', { set: { q: 'input.question' } })],
    });
    expectTypeOf(chain).toEqualTypeOf<
      Chain<{ question: string; limit?: number | undefined }, { q: string }, { question: string; limit: number }>
    >();
    expectTypeOf(validateInput(chain, {})).resolves.toEqualTypeOf<{ question: string; limit: number }>();
  });
  it('is Chain<unknown, ...> without a schema', () => {
    const chain = defineChain({ name: 'untyped', steps: [transform('echo', { set: { a: 1 } })] });
    expectTypeOf(chain).toEqualTypeOf<Chain<unknown, { a: 1 }, unknown>>();
  });
  it('is assignable to Chain, and a chain typed loosely stays usable', () => {
    const chain = defineChain({ name: 'typed', steps: [transform('echo', { set: { a: 1 } })] });
    expectTypeOf(chain).toMatchTypeOf<Chain>();
    const loose: Chain = chain;
    expectTypeOf(loose.steps).toEqualTypeOf<Chain['steps']>();
  });
  it('refuses a condition or value path that cannot exist, on the name', () => {
    defineChain({
      // @ts-expect-error: Step "route": path "steps.needsDocs.valeu" cannot exist here
      name: 'typo',
      steps: [
        transform('needsDocs', { set: { value: true } }),
        transform('route', { set: { docs: 'steps.needsDocs.valeu' } }),
      ],
    });
    defineChain({
      // @ts-expect-error: the step id is not in the chain
      name: 'typo',
      steps: [transform('a', { set: { x: 1 } })],
      output: { x: 'steps.b.x' },
    });
    defineChain({ name: 'ok', steps: [transform('a', { set: { x: 1 } })], output: { x: 'steps.a.x' } });
  });
  it('keeps the paths of conditions in their type', () => {
    expectTypeOf(isTrue('input.x')).toEqualTypeOf<Condition<'input.x'>>();
    expectTypeOf(and(isTrue('input.x'), eq('steps.a.value', 1))).toEqualTypeOf<
      Condition<'input.x' | 'steps.a.value'>
    >();
  });
});
