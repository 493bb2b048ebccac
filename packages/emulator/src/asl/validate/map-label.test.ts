import { describe, expect, it } from 'vitest';
import { labelRefusal, mapLabelProblem } from './map-label';
import { pythonRepr } from './python-repr';

describe('mapLabelProblem', () => {
  it('accepts labels of up to 40 characters without forbidden characters', () => {
    expect(mapLabelProblem('batch-1')).toBeUndefined();
    expect(mapLabelProblem('x'.repeat(40))).toBeUndefined();
    expect(mapLabelProblem('étiquette_ü')).toBeUndefined();
  });

  it('refuses an empty label and one longer than 40 characters, as AWS words it', () => {
    expect(mapLabelProblem('')).toBe('Label cannot be empty');
    expect(mapLabelProblem('12345678901234567890123456789012345678901')).toBe('Label cannot exceed 40 characters');
  });

  it('refuses white space, brackets, wildcards, special and control characters, quoting the character as Python does', () => {
    expect(mapLabelProblem('label_ ')).toBe("Label contains invalid character: ' '");
    for (const char of '<>{}[]?*#%\\^|~`$&,;:/') {
      expect(mapLabelProblem(`label_${char}`)).toBe(`Label contains invalid character: ${pythonRepr(char)}`);
    }
    expect(mapLabelProblem('label_"')).toBe(`Label contains invalid character: '"'`);
    expect(mapLabelProblem('label_\u0000')).toBe("Label contains invalid character: '\\x00'");
    expect(mapLabelProblem('label_\n')).toBe("Label contains invalid character: '\\n'");
    expect(mapLabelProblem('label_\u009d')).toBe("Label contains invalid character: '\\x9d'");
  });

  it('words the CreateStateMachine refusal as a Python ValueError quoting the definition', () => {
    expect(labelRefusal("Label contains invalid character: '\\x00'", '{"a": 1}')).toBe(
      `Error=ValueError Args=["Label contains invalid character: '\\\\x00'"] in definition '{"a": 1}'.`,
    );
    expect(labelRefusal(`Label contains invalid character: '"'`, '{}')).toBe(
      `Error=ValueError Args=['Label contains invalid character: \\'"\\''] in definition '{}'.`,
    );
  });
});

describe('pythonRepr', () => {
  it("prints strings as Python's repr()", () => {
    expect(pythonRepr('abc')).toBe("'abc'");
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(pythonRepr('a\\b\tc\r\n')).toBe("'a\\\\b\\tc\\r\\n'");
    expect(pythonRepr('\u0007\u007f\u00a0\u2028é')).toBe("'\\x07\\x7f\\xa0\\u2028é'");
  });
});
