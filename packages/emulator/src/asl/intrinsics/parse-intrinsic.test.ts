import { describe, expect, it } from 'vitest';
import { countIntrinsicCalls, IntrinsicSyntaxError, parseIntrinsic } from './parse-intrinsic';

describe('parseIntrinsic', () => {
  it('parses string, number, boolean, null, path and nested call arguments', () => {
    const call = parseIntrinsic("States.Array('a', -1.5, true, null, $.x[0], States.UUID())");
    expect(call.name).toBe('States.Array');
    expect(call.args.map((arg) => arg.kind)).toEqual(['string', 'number', 'boolean', 'null', 'path', 'call']);
    expect(call.args[1]).toMatchObject({ value: -1.5, text: '-1.5' });
    expect(call.args[4]).toMatchObject({ kind: 'path', path: { text: '$.x[0]' } });
  });

  it("resolves the escapes \\' \\{ \\} \\\\ in string arguments and keeps the raw text", () => {
    const call = parseIntrinsic("States.Format('it\\'s \\{\\} \\\\ {}', $.a)");
    expect(call.args[0]).toEqual({ kind: 'string', value: "it's {} \\ {}", raw: "it\\'s \\{\\} \\\\ {}" });
  });

  it('reads paths that contain commas and parentheses inside brackets', () => {
    const call = parseIntrinsic("States.Array($['a,b'], $.c[?(@.d > 1)], $$.Execution.Input)");
    expect(call.args.map((arg) => (arg.kind === 'path' ? arg.path.text : ''))).toEqual([
      "$['a,b']",
      '$.c[?(@.d > 1)]',
      '$$.Execution.Input',
    ]);
  });

  it('rejects unknown functions, unterminated strings and trailing text', () => {
    expect(() => parseIntrinsic('States.Nope(1)')).toThrow(IntrinsicSyntaxError);
    expect(() => parseIntrinsic("States.Format('abc)")).toThrow(/unterminated string/);
    expect(() => parseIntrinsic('States.UUID() x')).toThrow(/unexpected text/);
    expect(() => parseIntrinsic('States.Array(1 2)')).toThrow(SyntaxError);
  });

  it('counts every call, nested ones included', () => {
    expect(countIntrinsicCalls(parseIntrinsic('States.UUID()'))).toBe(1);
    expect(
      countIntrinsicCalls(
        parseIntrinsic("States.Array(States.Format('{}', States.JsonToString($.a)), States.StringToJson($.b))"),
      ),
    ).toBe(4);
  });
});
