import { describe, expect, it } from 'vitest';
import { jacksonJsonError } from './jackson-json-error';

const VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

describe('jacksonJsonError', () => {
  it('reports an unrecognized token whole, with the column after it (AWS: "not a definition")', () => {
    expect(jacksonJsonError('not a definition')).toEqual({
      originalMessage: `Unrecognized token 'not': was expecting ${VALUES}`,
      location: '[Source: (String)"not a definition"; line: 1, column: 4]',
      message: `Unrecognized token 'not': was expecting ${VALUES}\n at [Source: (String)"not a definition"; line: 1, column: 4]`,
    });
    expect(jacksonJsonError('truth')?.originalMessage).toBe(`Unrecognized token 'truth': was expecting ${VALUES}`);
    expect(jacksonJsonError('nullish')?.originalMessage).toBe(`Unrecognized token 'nullish': was expecting ${VALUES}`);
  });

  it("reports a single-quoted field name as AWS does for the input {'not': 'json'", () => {
    expect(jacksonJsonError("{'not': 'json'")?.originalMessage).toBe(
      "Unexpected character (''' (code 39)): was expecting double-quote to start field name",
    );
  });

  it('counts lines and columns as Jackson does (the column one past the character read)', () => {
    expect(jacksonJsonError('{\n  "a": 1,\n  "b" 2\n}')).toMatchObject({
      originalMessage: "Unexpected character ('2' (code 50)): was expecting a colon to separate field name and value",
      location: expect.stringContaining('line: 3, column: 8]'),
    });
  });

  it('names the other errors of a definition in Jackson words', () => {
    expect(jacksonJsonError('{')?.originalMessage).toBe(
      'Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"; line: 1, column: 1])',
    );
    expect(jacksonJsonError('{"a": 1 "b": 2}')?.originalMessage).toBe(
      "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
    );
    expect(jacksonJsonError('{"a": }')?.originalMessage).toBe(
      "Unexpected character ('}' (code 125)): expected a value",
    );
    expect(jacksonJsonError('[1,]')?.originalMessage).toBe("Unexpected character (']' (code 93)): expected a value");
    expect(jacksonJsonError('{"a": "x\ny"}')?.originalMessage).toBe(
      'Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value',
    );
    expect(jacksonJsonError('{"a": "\\q"}')?.originalMessage).toBe("Unrecognized character escape 'q' (code 113)");
    expect(jacksonJsonError('{"a": 01}')?.originalMessage).toBe('Invalid numeric value: Leading zeroes not allowed');
    expect(jacksonJsonError('{"a": "b"')?.originalMessage).toMatch(/^Unexpected end-of-input: expected close marker/);
    expect(jacksonJsonError('{"a": "b')?.originalMessage).toBe(
      'Unexpected end-of-input: was expecting closing quote for a string value',
    );
    expect(jacksonJsonError('{"a": 1]')?.originalMessage).toBe(
      `Unexpected close marker ']': expected '}' (for Object starting at [Source: (String)"{"a": 1]"; line: 1, column: 1])`,
    );
  });

  it('quotes at most 500 characters of the source', () => {
    const text = `{"a": "${'x'.repeat(600)}" x}`;
    expect(jacksonJsonError(text)?.location).toMatch(
      /^\[Source: \(String\)"\{"a": "x{493}"\[truncated 111 chars\]; line: 1, column: \d+\]$/,
    );
  });

  it('finds nothing wrong in JSON', () => {
    expect(jacksonJsonError(' {"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]} ')).toBeUndefined();
  });
});
