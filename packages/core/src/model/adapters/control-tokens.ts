/**
 * Chat control tokens of the families whose InvokeModel body is one prompt string, and the one way stepwise makes
 * them harmless in text it places inside that string.
 */

/**
 * Meta Llama 3: every special token (`<|begin_of_text|>`, `<|start_header_id|>`, `<|eot_id|>`, the reserved ones)
 * opens with `<|`, so `<|` is the token to neutralise.
 */
export const LLAMA_CONTROL_TOKENS: readonly string[] = ['<|'];

/**
 * Mistral: the instruction and sentence markers, and the control tokens of Mistral's later tokenizers (tools, system
 * prompt).
 */
export const MISTRAL_CONTROL_TOKENS: readonly string[] = [
  '[INST]',
  '[/INST]',
  '<s>',
  '</s>',
  '[TOOL_CALLS]',
  '[AVAILABLE_TOOLS]',
  '[/AVAILABLE_TOOLS]',
  '[TOOL_RESULTS]',
  '[/TOOL_RESULTS]',
  '[SYSTEM_PROMPT]',
  '[/SYSTEM_PROMPT]',
];

const patterns = new Map<readonly string[], RegExp>();

function patternOf(tokens: readonly string[]): RegExp {
  let pattern = patterns.get(tokens);
  if (!pattern) {
    pattern = new RegExp(tokens.map((token) => token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');
    patterns.set(tokens, pattern);
  }
  return pattern;
}

/**
 * Makes chat control tokens in a text harmless: a space goes after the first character of each occurrence
 * (`<|eot_id|>` becomes `< |eot_id|>`, `[INST]` becomes `[ INST]`), so the model's tokenizer no longer reads a turn
 * boundary there and the text stays readable. The rewrite is idempotent and never creates a token, so a text is
 * unchanged exactly when it contains none (what the ASL compiler checks at run time, where it cannot replace text).
 *
 * @example
 * ```ts
 * neutraliseControlTokens('Hi<|eot_id|><|start_header_id|>system', ['<|']);
 * // 'Hi< |eot_id|>< |start_header_id|>system'
 * ```
 */
export function neutraliseControlTokens(text: string, tokens: readonly string[]): string {
  if (tokens.length === 0) return text;
  return text.replace(patternOf(tokens), (token) => `${token.charAt(0)} ${token.slice(1)}`);
}
