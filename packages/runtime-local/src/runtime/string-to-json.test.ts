import { describe, expect, it } from 'vitest';
import { stringToJson } from './string-to-json';

describe('stringToJson', () => {
  it('is States.StringToJson: blank is null on AWS (recorded for "" and " "), JSON text is its value', () => {
    expect(stringToJson('')).toBeNull();
    expect(stringToJson(' ')).toBeNull();
    expect(stringToJson(' \n\t\r')).toBeNull();
    expect(stringToJson('null')).toBeNull();
    expect(stringToJson(' {"a": [1, true]} ')).toEqual({ a: [1, true] });
    expect(stringToJson('"HelloWorld"')).toBe('HelloWorld');
  });

  it('throws for anything else, which the step reports as States.Runtime', () => {
    expect(() => stringToJson('maybe')).toThrow(SyntaxError);
    expect(() => stringToJson('\u00a0')).toThrow(SyntaxError);
  });
});
