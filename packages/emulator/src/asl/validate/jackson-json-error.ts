/**
 * Step Functions parses definitions and execution inputs with Jackson (Java), and its refusals quote Jackson's
 * messages: `Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or
 * 'false')` with `at [Source: (String)"not a definition"; line: 1, column: 4]`. This module finds the first error in a
 * text the way Jackson's reader (`ReaderBasedJsonParser`, 2.10 to 2.15) reports it: the same message, line and column
 * (Jackson's column is one past the character it has just read).
 */

/**
 * A JSON syntax error as Jackson reports it.
 *
 * @example
 * ```ts
 * const error: JacksonJsonError | undefined = jacksonJsonError('{');
 * ```
 */
export interface JacksonJsonError {
  /** Jackson's own message, without the location (`getOriginalMessage()`). */
  originalMessage: string;
  /** `[Source: (String)"..."; line: L, column: C]`. */
  location: string;
  /** `originalMessage` + `\n at ` + `location` (`getMessage()`). */
  message: string;
}

const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
/** Jackson quotes at most this many characters of the source in a location. */
const MAX_CONTENT_SNIPPET = 500;
/** Jackson stops reading an unrecognized token after this many characters. */
const MAX_ERROR_TOKEN_LENGTH = 256;

const IDENTIFIER_START = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const IDENTIFIER_PART_LETTER = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\p{Cf}]/u;

/** Java's `Character.isJavaIdentifierPart`: letters, digits, marks, and the "ignorable" control characters. */
function isIdentifierPart(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code <= 0x08 || (code >= 0x0e && code <= 0x1b) || (code >= 0x7f && code <= 0x9f)) return true;
  return IDENTIFIER_PART_LETTER.test(char);
}

/** Jackson's `_getCharDesc`. */
function charDescription(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${char}' (code ${code} / 0x${code.toString(16)})`;
  return `'${char}' (code ${code})`;
}

class Stop {
  constructor(readonly originalMessage: string) {}
}

interface Container {
  kind: 'Array' | 'Object';
  line: number;
  column: number;
}

class JacksonReader {
  pos = 0;
  line = 1;
  lineStart = 0;
  readonly stack: Container[] = [];

  constructor(readonly text: string) {}

  get eof(): boolean {
    return this.pos >= this.text.length;
  }

  fail(message: string): never {
    throw new Stop(message);
  }

  /** Where the reader is, as Jackson's `getCurrentLocation()` prints it. */
  location(): string {
    return sourceLocation(this.text, this.line, this.pos - this.lineStart + 1);
  }

  unexpected(char: string, comment: string): never {
    return this.fail(`Unexpected character (${charDescription(char)}): ${comment}`);
  }

  /** Skips white space; the next character, consumed, or `undefined` at the end. */
  nextNonSpace(): string | undefined {
    while (!this.eof) {
      const char = this.text[this.pos++] as string;
      if (char === ' ' || char === '\t') continue;
      if (char === '\n') {
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      if (char === '\r') {
        if (this.text[this.pos] === '\n') this.pos++;
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      if (char.charCodeAt(0) < 0x20) {
        this.fail(
          `Illegal character (${charDescription(char)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`,
        );
      }
      if (char === '/') {
        this.unexpected(
          char,
          "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
        );
      }
      return char;
    }
    return undefined;
  }

  invalidToken(matched: string): never {
    let token = matched;
    while (!this.eof && isIdentifierPart(this.text[this.pos] as string)) {
      token += this.text[this.pos++];
      if (token.length >= MAX_ERROR_TOKEN_LENGTH) {
        token += '...';
        break;
      }
    }
    return this.fail(`Unrecognized token '${token}': was expecting ${VALID_VALUES}`);
  }

  eofIn(container: Container): never {
    const start = sourceLocation(this.text, container.line, container.column);
    return this.fail(`Unexpected end-of-input: expected close marker for ${container.kind} (start marker at ${start})`);
  }

  mismatchedClose(char: string, container: Container | undefined): never {
    const expected = char === ']' ? '}' : ']';
    const description = container?.kind ?? 'root';
    const start = sourceLocation(this.text, container?.line ?? 1, container?.column ?? 0);
    return this.fail(
      `Unexpected close marker '${char}': expected '${expected}' (for ${description} starting at ${start})`,
    );
  }

  /** A literal `true`, `false` or `null` whose first character has been read. */
  keyword(word: string): void {
    for (let index = 1; index < word.length; index++) {
      if (this.eof || this.text[this.pos] !== word[index]) this.invalidToken(word.slice(0, index));
      this.pos++;
    }
    const next = this.text[this.pos];
    if (next !== undefined && next >= '0' && next !== ']' && next !== '}' && isIdentifierPart(next)) {
      this.invalidToken(word);
    }
  }

  /** A string whose opening quote has been read. */
  string(what: 'string value' | 'name'): void {
    for (;;) {
      if (this.eof) {
        this.fail(
          what === 'name'
            ? 'Unexpected end-of-input in field name'
            : 'Unexpected end-of-input: was expecting closing quote for a string value',
        );
      }
      const char = this.text[this.pos++] as string;
      if (char === '"') return;
      if (char === '\\') {
        this.escape();
        continue;
      }
      if (char.charCodeAt(0) < 0x20) {
        this.fail(
          `Illegal unquoted character (${charDescription(char)}): has to be escaped using backslash to be included in ${what}`,
        );
      }
    }
  }

  escape(): void {
    if (this.eof) this.fail('Unexpected end-of-input in character escape sequence');
    const char = this.text[this.pos++] as string;
    if ('"\\/bfnrt'.includes(char)) return;
    if (char !== 'u') this.fail(`Unrecognized character escape ${charDescription(char)}`);
    for (let index = 0; index < 4; index++) {
      if (this.eof) this.fail('Unexpected end-of-input in character escape sequence');
      const digit = this.text[this.pos++] as string;
      if (!/[0-9a-fA-F]/.test(digit)) this.unexpected(digit, 'expected a hex-digit for character escape sequence');
    }
  }

  numberChar(char: string, comment: string): never {
    return this.fail(`Unexpected character (${charDescription(char)}) in numeric value: ${comment}`);
  }

  digits(): number {
    let count = 0;
    while (!this.eof && /[0-9]/.test(this.text[this.pos] as string)) {
      this.pos++;
      count++;
    }
    return count;
  }

  /** A number whose first character (`-` or a digit) has been read. */
  number(first: string, atRoot: boolean): void {
    let lead = first;
    if (first === '-') {
      if (this.eof) this.fail('Unexpected end-of-input in a Number value');
      lead = this.text[this.pos++] as string;
      if (!/[0-9]/.test(lead)) {
        this.numberChar(lead, 'expected digit (0-9) to follow minus sign, for valid numeric value');
      }
    }
    if (lead === '0') {
      if (/[0-9]/.test(this.text[this.pos] ?? '')) this.fail('Invalid numeric value: Leading zeroes not allowed');
    } else {
      this.digits();
    }
    if (this.text[this.pos] === '.') {
      this.pos++;
      if (this.eof) this.fail('Unexpected end-of-input in a Number value');
      if (this.digits() === 0)
        this.numberChar(this.text[this.pos++] as string, 'Decimal point not followed by a digit');
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      if (this.eof) this.fail('Unexpected end-of-input in a Number value');
      if (this.digits() === 0) {
        this.numberChar(this.text[this.pos++] as string, 'Exponent indicator not followed by a digit');
      }
    }
    if (atRoot && !this.eof) {
      const next = this.text[this.pos] as string;
      if (!' \t\r\n'.includes(next)) {
        this.pos++;
        this.unexpected(next, 'Expected space separating root-level values');
      }
    }
  }

  /** A value whose first character has been read. */
  value(char: string, atRoot: boolean): void {
    switch (char) {
      case '"':
        this.string('string value');
        return;
      case '{':
        this.object();
        return;
      case '[':
        this.array();
        return;
      case 't':
        this.keyword('true');
        return;
      case 'f':
        this.keyword('false');
        return;
      case 'n':
        this.keyword('null');
        return;
      case ']':
      case '}':
        this.unexpected(char, 'expected a value');
        return;
      default:
        if (char === '-' || (char >= '0' && char <= '9')) {
          this.number(char, atRoot);
          return;
        }
        if (IDENTIFIER_START.test(char)) this.invalidToken(char);
        this.unexpected(char, `expected a valid value ${VALID_VALUES}`);
    }
  }

  open(kind: Container['kind']): Container {
    const container: Container = { kind, line: this.line, column: this.pos - this.lineStart };
    this.stack.push(container);
    return container;
  }

  object(): void {
    const container = this.open('Object');
    let char = this.nextNonSpace();
    let first = true;
    for (;;) {
      if (char === undefined) this.eofIn(container);
      if (char === '}' && first) break;
      if (char === ']') this.mismatchedClose(char, container);
      if (!first) {
        if (char === '}') break;
        if (char !== ',') this.unexpected(char, 'was expecting comma to separate Object entries');
        char = this.nextNonSpace();
        if (char === undefined) this.fail('Unexpected end-of-input within/between Object entries');
      }
      first = false;
      if (char !== '"') this.unexpected(char, 'was expecting double-quote to start field name');
      this.string('name');
      const colon = this.nextNonSpace();
      if (colon === undefined) this.fail('Unexpected end-of-input within/between Object entries');
      if (colon !== ':') this.unexpected(colon, 'was expecting a colon to separate field name and value');
      const valueChar = this.nextNonSpace();
      if (valueChar === undefined) this.fail('Unexpected end-of-input within/between Object entries');
      this.value(valueChar, false);
      char = this.nextNonSpace();
    }
    this.stack.pop();
  }

  array(): void {
    const container = this.open('Array');
    let char = this.nextNonSpace();
    let first = true;
    for (;;) {
      if (char === undefined) this.eofIn(container);
      if (char === ']') break;
      if (char === '}') this.mismatchedClose(char, container);
      if (!first) {
        if (char !== ',') this.unexpected(char, 'was expecting comma to separate Array entries');
        char = this.nextNonSpace();
        if (char === undefined) this.fail('Unexpected end-of-input within/between Array entries');
      }
      first = false;
      this.value(char, false);
      char = this.nextNonSpace();
    }
    this.stack.pop();
  }

  document(): void {
    const char = this.nextNonSpace();
    if (char === undefined) this.fail('No content to map due to end-of-input');
    if (char === ']' || char === '}') this.mismatchedClose(char, undefined);
    this.value(char, true);
    const trailing = this.nextNonSpace();
    if (trailing !== undefined) this.unexpected(trailing, 'expected end-of-input');
  }
}

/** Jackson's `JsonLocation.toString()` for a String source. */
function sourceLocation(text: string, line: number, column: number): string {
  const snippet = text.slice(0, MAX_CONTENT_SNIPPET);
  const truncated = text.length > MAX_CONTENT_SNIPPET ? `[truncated ${text.length - MAX_CONTENT_SNIPPET} chars]` : '';
  return `[Source: (String)"${snippet}"${truncated}; line: ${line}, column: ${column}]`;
}

/**
 * The first JSON syntax error in `text` as Jackson reports it, or `undefined` when the text is one JSON value
 * (surrounded by white space at most).
 *
 * @example
 * ```ts
 * jacksonJsonError('not a definition')?.originalMessage;
 * // "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
 * jacksonJsonError('not a definition')?.location; // '[Source: (String)"not a definition"; line: 1, column: 4]'
 * ```
 */
export function jacksonJsonError(text: string): JacksonJsonError | undefined {
  const reader = new JacksonReader(text);
  try {
    reader.document();
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const location = reader.location();
    return { originalMessage: error.originalMessage, location, message: `${error.originalMessage}\n at ${location}` };
  }
}
