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
