import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonByteSize } from './json-byte-size';

describe('jsonByteSize', () => {
  it('is the byte length of the compact JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonByteSize(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
    expect(jsonByteSize({ a: 'é', b: ['"\\\n', null, true] })).toBe(
      Buffer.byteLength(JSON.stringify({ a: 'é', b: ['"\\\n', null, true] })),
    );
  });
});
