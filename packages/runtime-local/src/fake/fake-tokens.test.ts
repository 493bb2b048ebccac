import { describe, expect, it } from 'vitest';
import { countFakeTokens, fakeTextDeltas, fakeTokenCount, fakeTokens } from './fake-tokens';

/** A deterministic pseudo-random source (mulberry32), so a failure names a reproducible text. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Letters, digits, underscore, ASCII and Unicode spaces, punctuation, accents, CJK, an emoji (a surrogate pair),
// a combining mark and a non-BMP letter.
const ALPHABET = [
  'a',
  'Z',
  '7',
  '_',
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u2003',
  '\u3000',
  ',',
  '!',
  '{',
  '"',
  'é',
  'ß',
  '中',
  '😀',
  '\u0301',
  '𝒜',
  '-',
  '.',
];

describe('countFakeTokens', () => {
  it('counts the pieces fakeTokens splits a text into, whatever the text', () => {
    const next = random(14);
    const texts = [
      '',
      ' ',
      '   ',
      'a',
      ' a',
      'a ',
      'Hello, world!',
      ' trailing space ',
      'x\u00a0y',
      '😀😀',
      'e\u0301t\u00e9',
    ];
    for (let n = 0; n < 3000; n++) {
      const length = Math.floor(next() * 24);
      let text = '';
      for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
      texts.push(text);
    }
    for (const text of texts) expect([text, countFakeTokens(text)]).toEqual([text, fakeTokens(text).length]);
  });

  it('fakeTokenCount reads the pieces already split, and counts others', () => {
    const text = 'A streamed answer, split once.';
    expect(fakeTokenCount(`${text} Not split yet.`)).toBe(fakeTokens(`${text} Not split yet.`).length);
    expect(fakeTokenCount(text)).toBe(fakeTokens(text).length);
  });
});

describe('fakeTextDeltas', () => {
  it('gives one frozen text delta per piece, the same parts for the same text', () => {
    const deltas = fakeTextDeltas('Hello, world!');
    expect(deltas).toEqual([
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: ',' },
      { type: 'text-delta', delta: ' world' },
      { type: 'text-delta', delta: '!' },
    ]);
    expect(fakeTextDeltas('Hello, world!')).toBe(deltas);
    expect(Object.isFrozen(deltas[0])).toBe(true);
  });
});
