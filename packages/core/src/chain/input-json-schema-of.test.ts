import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { transform } from '../steps/transform';
import type { Chain } from './chain';
import { defineChain } from './define-chain';
import { inputJsonSchemaOf } from './input-json-schema-of';

const steps = [transform('echo', { set: { q: 'input' } })];

describe('inputJsonSchemaOf', () => {
  it('prefers chain.inputJsonSchema', () => {
    const inputJsonSchema = { type: 'object', properties: { question: { type: 'string' } } };
    const chain = defineChain({ name: 'explicit', input: z.object({ other: z.number() }), inputJsonSchema, steps });
    expect(inputJsonSchemaOf(chain)).toBe(inputJsonSchema);
  });
  it('derives the input schema from zod 4 through Standard JSON Schema (draft 2020-12)', () => {
    const chain = defineChain({
      name: 'zod',
      input: z.object({ question: z.string(), limit: z.number().default(3) }),
      steps,
    });
    expect(inputJsonSchemaOf(chain)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { question: { type: 'string' }, limit: { type: 'number', default: 3 } },
      required: ['question'],
    });
  });
  it('is undefined without a schema, or for a schema that cannot produce one', () => {
    expect(inputJsonSchemaOf(defineChain({ name: 'none', steps }))).toBeUndefined();
    expect(
      inputJsonSchemaOf(defineChain({ name: 'valibot', input: v.object({ q: v.string() }), steps })),
    ).toBeUndefined();
    const throwing = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value: unknown) => ({ value }),
        jsonSchema: {
          input: () => {
            throw new Error('unsupported target');
          },
          output: () => ({}),
        },
      },
    } as unknown as Chain['input'];
    expect(inputJsonSchemaOf({ name: 'throwing', steps, input: throwing })).toBeUndefined();
  });
});
