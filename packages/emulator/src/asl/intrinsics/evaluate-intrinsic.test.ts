import { describe, expect, it } from 'vitest';
import { RuntimeFault } from '../errors';
import { parseJson, stringifyJson } from '../json/java-json';
import { evaluateIntrinsic, type IntrinsicScope } from './evaluate-intrinsic';
import { parseIntrinsic } from './parse-intrinsic';

function run(text: string, input: unknown = {}, random = () => 0.5): unknown {
  const scope: IntrinsicScope = {
    input,
    context: {},
    field: 'x.$',
    random,
    notFound: (path) => {
      throw new RuntimeFault(`not found: ${path}`);
    },
  };
  return evaluateIntrinsic(parseIntrinsic(text), scope);
}

describe('intrinsic functions, as AWS evaluates them', () => {
  it('StringSplit treats its delimiter as a set of characters and drops empty strings', () => {
    expect(run("States.StringSplit('This.is+a,test=string', '.+,=')")).toEqual(['This', 'is', 'a', 'test', 'string']);
    expect(run("States.StringSplit(',,,,', ',')")).toEqual([]);
    expect(run("States.StringSplit(', , ,', ',')")).toEqual([' ', ' ']);
    expect(run('States.StringSplit($.s, $.d)', { s: 'split on T and \nnew line', d: 'T\n' })).toEqual([
      'split on ',
      ' and ',
      'new line',
    ]);
  });

  it('StringToJson of an empty or blank string is null', () => {
    expect(run("States.StringToJson('')")).toBeNull();
    expect(run("States.StringToJson(' ')")).toBeNull();
    expect(run('States.StringToJson(\'[1, 2, "x"]\')')).toEqual([1, 2, 'x']);
    expect(() => run("States.StringToJson('{nope')")).toThrow(RuntimeFault);
  });

  it('StringToJson keeps a double a double: JsonToString prints 1.0 back', () => {
    expect(run('States.JsonToString(States.StringToJson(\'{"a": 1.0, "b": 2}\'))')).toBe('{"a":1.0,"b":2}');
  });

  it('MathAdd rounds each operand half up (Java Math.round) before adding', () => {
    expect(run('States.MathAdd($.a, $.b)', { a: 1.5, b: 0 })).toBe(2);
    expect(run('States.MathAdd($.a, $.b)', { a: 1.49, b: 0 })).toBe(1);
    expect(run('States.MathAdd($.a, $.b)', { a: -0.5, b: 0.5 })).toBe(1);
    expect(run('States.MathAdd($.a, $.b)', { a: -3.5, b: 0 })).toBe(-3);
    expect(run('States.MathAdd($.a, $.b)', { a: -1.51, b: 0 })).toBe(-2);
  });

  it('MathAdd beyond 32-bit integers fails loudly: what AWS does there is not known', () => {
    expect(() => run('States.MathAdd($.a, 1)', { a: 2_147_483_647 })).toThrow(/cannot know/);
  });

  it('Format prints values as Java does: numbers, null, and objects as Java maps and lists', () => {
    expect(run("States.Format('{} {} {} {}', $.a, $.b, $.c, $.d)", { a: 1, b: 1.1, c: null, d: true })).toBe(
      '1 1.1 null true',
    );
    expect(run("States.Format('{}', $.o)", { o: { Arg1: 1, Arg2: [], s: 'x' } })).toBe('{Arg1=1, Arg2=[], s=x}');
    expect(run("States.Format('{}', $.l)", { l: ['a', 1, [true]] })).toBe('[a, 1, [true]]');
    expect(run("States.Format('{} {}', $.big, $.small)", parseJson('{"big": 1e21, "small": 1.5e-7}'))).toBe(
      '1.0E21 1.5E-7',
    );
  });

  it("Format reads \\{ \\} \\' \\\\ as literal characters, not placeholders", () => {
    expect(run("States.Format('\\\\{\\\\} {} it\\\\'s \\\\\\\\', 'x')".replaceAll('\\\\', '\\'))).toBe("{} x it's \\");
  });

  it('Format needs as many arguments as placeholders', () => {
    expect(() => run("States.Format('{} {}', 'a')")).toThrow(/more placeholders/);
    expect(() => run("States.Format('{}', 'a', 'b')")).toThrow(/fewer placeholders/);
  });

  it('ArrayRange includes its end, rounds its arguments, needs a positive step and yields at most 1000 items', () => {
    expect(run('States.ArrayRange(0, 9, 3)')).toEqual([0, 3, 6, 9]);
    expect(run('States.ArrayRange(1, 9, 9)')).toEqual([1]);
    expect(() => run('States.ArrayRange(1, 9, 0)')).toThrow(RuntimeFault);
    expect(() => run('States.ArrayRange(0, 1000, 1)')).toThrow(/more than 1000/);
  });

  it('ArrayPartition, ArrayGetItem, ArrayLength, ArrayContains, ArrayUnique', () => {
    expect(run('States.ArrayPartition($.a, 2)', { a: [0, 1, 2, 3, 4] })).toEqual([[0, 1], [2, 3], [4]]);
    expect(run('States.ArrayGetItem($.a, 1)', { a: [5, 6] })).toBe(6);
    expect(() => run('States.ArrayGetItem($.a, 2)', { a: [5, 6] })).toThrow(/out of bounds/);
    expect(run('States.ArrayLength($.a)', { a: [1, 2, 3] })).toBe(3);
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ x: [1] }], v: { x: [1] } })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a: [], v: [] })).toBe(false);
    expect(run('States.ArrayUnique($.a)', { a: [1, 1, { a: 1 }, { a: 1 }, null, null] })).toEqual([1, { a: 1 }, null]);
  });

  it('Base64Encode and Base64Decode, Hash with the five algorithms', () => {
    expect(run("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(run("States.Hash('input data', 'MD5')")).toBe('812f45842bc6d66ee14572ce20db8e86');
    expect(run("States.Hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(() => run("States.Hash('input data', 'SHA-3')")).toThrow(RuntimeFault);
  });

  it('JsonMerge merges shallowly and refuses a deep merge', () => {
    expect(run('States.JsonMerge($.a, $.b, false)', { a: { x: { y: 1 }, k: 1 }, b: { x: { z: 2 } } })).toEqual({
      x: { z: 2 },
      k: 1,
    });
    expect(() => run('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} })).toThrow(RuntimeFault);
  });

  it('MathRandom draws an integer from start to end, and UUID a version 4 UUID', () => {
    expect(run('States.MathRandom(1, 10)', {}, () => 0)).toBe(1);
    expect(run('States.MathRandom(1, 10)', {}, () => 0.999_999)).toBe(10);
    expect(run('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('JsonToString prints compact JSON with Java numbers', () => {
    expect(run('States.JsonToString($.o)', { o: { Arg1: 1, Arg2: [], d: 0.000_01 } })).toBe(
      '{"Arg1":1,"Arg2":[],"d":1.0E-5}',
    );
    expect(stringifyJson(run('States.Array(1, 2.5, true, null)'))).toBe('[1,2.5,true,null]');
  });
});
