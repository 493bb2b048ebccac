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

/**
 * How many pieces {@link fakeTokens} would split the text into, without building them (fakes count input tokens on
 * every call).
 * @internal
 */
export function countFakeTokens(text: string): number {
  let count = 0;
  let inWord = false;
  let trailingSpace = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(text[index]!))) {
      inWord = false;
      trailingSpace = true;
      continue;
    }
    trailingSpace = false;
    let word: boolean;
    if (code < 128) {
      word = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
    } else {
      const point = text.codePointAt(index)!;
      const char = String.fromCodePoint(point);
      if (point > 0xffff) index++;
      word = WORD_CHAR.test(char);
    }
    if (!word) {
      count++;
      inWord = false;
    } else if (!inWord) {
      count++;
      inWord = true;
    }
  }
  return trailingSpace ? count + 1 : count;
}
