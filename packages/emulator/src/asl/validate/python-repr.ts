/** Characters Python's `str.isprintable()` calls unprintable (the space aside): categories C* and Z*. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/**
 * A string as Python's `repr()` prints it: single quotes unless the text holds a `'` and no `"`, with `\\`, `\n`,
 * `\r`, `\t`, the quote, and unprintable characters (`\x00`, `\x9d`, `\u2028`, `\U000e0001`) escaped. Step Functions
 * quotes some refusals in this form (`Args=["Label contains invalid character: '\\x00'"]`).
 *
 * @example
 * ```ts
 * pythonRepr('a\nb'); // "'a\\nb'"
 * pythonRepr("it's"); // `"it's"`
 * pythonRepr('\u0090'); // "'\\x90'"
 * ```
 */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char !== ' ' && UNPRINTABLE.test(char)) {
      if (code < 0x100) out += `\\x${hex(code, 2)}`;
      else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
      else out += `\\U${hex(code, 8)}`;
    } else out += char;
  }
  return out + quote;
}
