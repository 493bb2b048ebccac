import type { ModelStreamPart } from '@stepwise/core';

const TOKEN = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+/gu;
const cache = new Map<string, string[]>();
const CACHE_LIMIT = 1024;

/**
 * Splits text into token-like pieces the way the fakes stream and count it: a word or a single other character,
 * with the whitespace before it. The pieces join back to the text exactly.
 *
 * @example
 * ```ts
 * fakeTokens('Hello, world!'); // ['Hello', ',', ' world', '!']
 * ```
 */
export function fakeTokens(text: string): readonly string[] {
  let tokens = cache.get(text);
  if (tokens) return tokens;
  tokens = text.match(TOKEN) ?? [];
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, tokens);
  return tokens;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const SPACE_CHAR = /\s/;
const OTHER = 0;
const WORD = 1;
const SPACE = 2;
/** The class of each ASCII character: `[A-Za-z0-9_]` a word character, `\s` a space, anything else a token of its own. */
const ASCII = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  ASCII[code] = WORD_CHAR.test(char) ? WORD : SPACE_CHAR.test(char) ? SPACE : OTHER;
}

/**
 * How many pieces {@link fakeTokens} would split the text into, without building them (fakes count input tokens on
 * every call): a table lookup per ASCII character, the Unicode classes only beyond.
 * @internal
 */
export function countFakeTokens(text: string): number {
  let count = 0;
  let previous = SPACE;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    let kind: number;
    if (code < 128) {
      kind = ASCII[code]!;
    } else {
      const point = text.codePointAt(index)!;
      const char = String.fromCodePoint(point);
      if (point > 0xffff) index++;
      kind = WORD_CHAR.test(char) ? WORD : SPACE_CHAR.test(char) ? SPACE : OTHER;
    }
    // A word starts a token unless it continues one; any other character is a token; spaces join the next token.
    if (kind === OTHER || (kind === WORD && previous !== WORD)) count++;
    previous = kind;
  }
  // Trailing spaces are a token of their own.
  return previous === SPACE && length > 0 ? count + 1 : count;
}

/**
 * {@link countFakeTokens}, or the length of the pieces already split for this text (a streamed answer's).
 * @internal
 */
export function fakeTokenCount(text: string): number {
  const tokens = cache.get(text);
  return tokens === undefined ? countFakeTokens(text) : tokens.length;
}

const deltaCache = new Map<string, readonly ModelStreamPart[]>();

/**
 * The text deltas a fake streams for a text, one per {@link fakeTokens} piece: built once per text (cached as the
 * pieces are) and frozen, so a stream hands out the same parts instead of making one object per token.
 * @internal
 */
export function fakeTextDeltas(text: string): readonly ModelStreamPart[] {
  let deltas = deltaCache.get(text);
  if (deltas) return deltas;
  deltas = Object.freeze(
    fakeTokens(text).map((delta): ModelStreamPart => Object.freeze({ type: 'text-delta' as const, delta })),
  );
  if (deltaCache.size >= CACHE_LIMIT) deltaCache.clear();
  deltaCache.set(text, deltas);
  return deltas;
}
