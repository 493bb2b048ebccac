import { describe, expect, it } from 'vitest';
import { formatJavaDouble, formatJavaNumber, jsonEquals, parseJson, plainJson, stringifyJson } from './java-json';

describe('JSON numbers as Step Functions (Jackson, Java) prints them', () => {
  it('prints doubles as Java Double.toString: decimal within [10^-3, 10^7), scientific outside', () => {
    expect(formatJavaDouble(1)).toBe('1.0');
    expect(formatJavaDouble(1.5)).toBe('1.5');
    expect(formatJavaDouble(0.001)).toBe('0.001');
    expect(formatJavaDouble(0.0001)).toBe('1.0E-4');
    expect(formatJavaDouble(1234567.5)).toBe('1234567.5');
    expect(formatJavaDouble(1e7)).toBe('1.0E7');
    expect(formatJavaDouble(123456789.5)).toBe('1.234567895E8');
    expect(formatJavaDouble(1e21)).toBe('1.0E21');
    expect(formatJavaDouble(-2.5e-7)).toBe('-2.5E-7');
  });

  it('keeps 1.0 a double and long integers exact, from input to output', () => {
    const text = '{"a":1.0,"b":12345678901234567890,"c":1e21,"d":2,"e":0.5,"f":1.0E-5}';
    expect(stringifyJson(parseJson(text))).toBe(
      '{"a":1.0,"b":12345678901234567890,"c":1.0E21,"d":2,"e":0.5,"f":1.0E-5}',
    );
    expect(formatJavaNumber(parseJson('2.0') as number)).toBe('2.0');
  });

  it('fails loudly on a number beyond a double: how Jackson reads it is not known', () => {
    expect(() => parseJson('{"a": 1e400}')).toThrow(/cannot know/);
  });

  it('compares numbers by value and gives tasks plain numbers', () => {
    expect(jsonEquals(parseJson('[1.0]'), [1])).toBe(true);
    expect(plainJson(parseJson('{"a":[1.0]}'))).toEqual({ a: [1] });
  });
});
