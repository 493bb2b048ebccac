import { defineChain, transform } from '@stepwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBoth } from './run-both';

/** Strings heavy in what intrinsic functions reserve, and in what breaks naive parsers. */
const awkward = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "'",
      '{',
      '}',
      '\\',
      '{}',
      '\\{',
      '"',
      '\n',
      '(',
      ')',
      ',',
      '$',
      '.',
      '😀',
      'é',
      ' ',
      'States.Format(',
    ),
    fc.string({ maxLength: 3 }),
  ),
  maxLength: 24,
});
/** Literal text of a template: anything without `{{` or `}}`, which delimit placeholders. */
const literal = awkward.filter(
  (text) => !text.includes('{{') && !text.includes('}}') && !text.endsWith('{') && !text.startsWith('}'),
);

describe('templates render the same on runtime-local and compiled to ASL', () => {
  it('for arbitrary literal text and values', async () => {
    await fc.assert(
      fc.asyncProperty(
        literal,
        literal,
        awkward,
        fc.oneof(awkward, fc.integer(), fc.boolean()),
        async (a, b, value, scalar) => {
          const chain = defineChain({
            name: 'prop',
            steps: [
              transform('t', {
                set: { text: `${a}{{input.v}}${b}{{input.s}}`, json: `${b}{{input.v | json}}`, lit: a },
              }),
            ],
          });
          const { local, asl } = await runBoth(chain, { v: value, s: scalar }, { models: {} });
          expect(local).toMatchObject({ ok: true });
          expect(asl).toEqual(local);
        },
      ),
      { numRuns: 100 },
    );
  });
});
