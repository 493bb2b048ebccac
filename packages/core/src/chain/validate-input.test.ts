import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputValidationError } from '../errors/input-validation-error';
import { transform } from '../steps/transform';
import { defineChain } from './define-chain';
import { validateInput } from './validate-input';

const steps = [transform('echo', { set: { q: 'input' } })];

async function rejection(promise: Promise<unknown>): Promise<InputValidationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(InputValidationError.isInstance(error)).toBe(true);
  return error as InputValidationError;
}

describe('validateInput', () => {
  it('passes the input through without a schema', async () => {
    const chain = defineChain({ name: 'free', steps });
    const input = { anything: [1] };
    expect(await validateInput(chain, input)).toBe(input);
  });

  describe('zod 4', () => {
    const chain = defineChain({
      name: 'zod',
      input: z.object({
        question: z.string().min(1),
        limit: z.number().int().default(5),
        tags: z.array(z.string()).optional(),
      }),
      steps,
    });
    it('returns the parsed value, defaults applied', async () => {
      expect(await validateInput(chain, { question: 'why?' })).toEqual({ question: 'why?', limit: 5 });
    });
    it('lists every issue with its path', async () => {
      const error = await rejection(validateInput(chain, { question: 42, limit: 1.5, tags: ['ok', 3] }));
      expect(error.issues.map((issue) => issue.path)).toEqual([['question'], ['limit'], ['tags', 1]]);
      expect(error.issues.every((issue) => typeof issue.message === 'string' && issue.message.length > 0)).toBe(true);
      expect(error.message).toMatch(/^Input of chain "zod" is invalid: question: .+; limit: .+; tags\.1: .+\.$/);
    });
    it('reports an issue at the root without a path', async () => {
      const error = await rejection(validateInput(chain, 'not an object'));
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.path).toEqual([]);
      expect(error.message).not.toMatch(/invalid: \./);
    });
    it('waits for async schemas', async () => {
      const slow = defineChain({
        name: 'async',
        input: z
          .object({ id: z.string() })
          .refine(async (value) => value.id !== 'taken', { message: 'id is taken', path: ['id'] }),
        steps,
      });
      expect(await validateInput(slow, { id: 'free' })).toEqual({ id: 'free' });
      const error = await rejection(validateInput(slow, { id: 'taken' }));
      expect(error.issues).toEqual([{ message: 'id is taken', path: ['id'] }]);
    });
  });

  describe('valibot', () => {
    const chain = defineChain({
      name: 'valibot',
      input: v.object({ question: v.pipe(v.string(), v.minLength(1)), items: v.array(v.object({ id: v.number() })) }),
      steps,
    });
    it('returns the parsed value', async () => {
      expect(await validateInput(chain, { question: 'q', items: [{ id: 1 }] })).toEqual({
        question: 'q',
        items: [{ id: 1 }],
      });
    });
    it('maps path segments objects to keys', async () => {
      const error = await rejection(validateInput(chain, { question: '', items: [{ id: 1 }, { id: 'x' }] }));
      expect(error.issues.map((issue) => issue.path)).toEqual([['question'], ['items', 1, 'id']]);
      expect(error.message).toMatch(/^Input of chain "valibot" is invalid: question: .+; items\.1\.id: .+\.$/);
    });
  });

  it('summarises at most three issues in the message but keeps them all', async () => {
    const chain = defineChain({
      name: 'many',
      input: z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string() }),
      steps,
    });
    const error = await rejection(validateInput(chain, {}));
    expect(error.issues).toHaveLength(4);
    expect(error.message).not.toMatch(/; d: /);
    expect(error.message).toMatch(/ \(and 1 more\)\.$/);
  });
});
