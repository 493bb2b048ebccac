import { describe, expect, it } from 'vitest';
import { formatJavaDouble, formatNumber, stringifyJson } from './format-number';
import { renderTemplate } from './render-template';

describe('numbers as Step Functions prints them', () => {
  it('prints integers below 10^21 as digits, other numbers as Java doubles', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(1234567.25)).toBe('1234567.25');
    // Outside [10^-3, 10^7) Java's Double.toString uses computerized scientific notation.
    expect(formatNumber(1e-7)).toBe('1.0E-7');
    expect(formatNumber(0.000123)).toBe('1.23E-4');
    expect(formatNumber(12345678.5)).toBe('1.23456785E7');
    expect(formatNumber(1e21)).toBe('1.0E21');
    expect(formatNumber(-2.5e-5)).toBe('-2.5E-5');
  });

  it('prints integral doubles with a fraction, as Java does', () => {
    expect(formatJavaDouble(2)).toBe('2.0');
    expect(formatJavaDouble(1e7)).toBe('1.0E7');
    expect(formatJavaDouble(0.001)).toBe('0.001');
  });

  it('stringifies JSON with those numbers, leaving everything else as JSON.stringify does', () => {
    expect(stringifyJson({ a: 1e-7, b: [0.5, 3, 12345678.5], c: 'x', d: null })).toBe(
      '{"a":1.0E-7,"b":[0.5,3,1.23456785E7],"c":"x","d":null}',
    );
    expect(stringifyJson('1e-7')).toBe('"1e-7"');
    // Deep inside objects and arrays, through toJSON, and none at all.
    expect(stringifyJson({ x: [{ y: { z: 1e-9 } }], n: 1 })).toBe('{"x":[{"y":{"z":1.0E-9}}],"n":1}');
    expect(stringifyJson({ at: { toJSON: () => ({ score: 2e-8 }) } })).toBe('{"at":{"score":2.0E-8}}');
    expect(stringifyJson({ a: [1, 2.5, { b: 'c' }], d: Number.NaN, e: true })).toBe(
      '{"a":[1,2.5,{"b":"c"}],"d":null,"e":true}',
    );
  });

  it('renders placeholders and | json with them', () => {
    const state = { input: { tiny: 1e-7, big: 1e21, list: [2e-8] } };
    expect(renderTemplate('{{input.tiny}} {{input.big}} {{input.list | json}}', state)).toBe('1.0E-7 1.0E21 [2.0E-8]');
  });
});
