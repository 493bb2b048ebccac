import { describe, expect, it } from 'vitest';
import { evaluateChoiceRule } from './choice-rule';
import { RuntimeFault } from './errors';
import { parseJson } from './json/java-json';

const holds = (rule: Record<string, unknown>, input: unknown) => evaluateChoiceRule(rule, { input, context: {} });

describe('Choice rules as AWS evaluates them', () => {
  it('compares numbers by value (1 equals 1.0) and mistyped values never match', () => {
    expect(holds({ Variable: '$.v', NumericEquals: 1 }, parseJson('{"v": 1.0}'))).toBe(true);
    expect(holds({ Variable: '$.v', NumericEquals: 0 }, { v: '0' })).toBe(false);
    expect(holds({ Variable: '$.v', StringEquals: '1' }, { v: 1 })).toBe(false);
    expect(holds({ Variable: '$.v', BooleanEquals: false }, { v: 0 })).toBe(false);
  });

  it('Is* tests set to false hold when the value is of another type', () => {
    expect(holds({ Variable: '$.v', IsString: false }, { v: 1 })).toBe(true);
    expect(holds({ Variable: '$.v', IsNull: false }, { v: 0 })).toBe(true);
    expect(holds({ Variable: '$.v', IsNumeric: false }, { v: '1' })).toBe(true);
    expect(holds({ Variable: '$.v', IsBoolean: false }, parseJson('{"v": 0.0}'))).toBe(true);
    expect(holds({ Variable: '$.v', IsPresent: false }, {})).toBe(true);
    expect(holds({ Variable: '$.v', IsPresent: true }, { v: null })).toBe(true);
  });

  it('StringMatches: * matches any run, \\* a star', () => {
    expect(holds({ Variable: '$.v', StringMatches: 'log-*.txt' }, { v: 'log-2024.txt' })).toBe(true);
    expect(holds({ Variable: '$.v', StringMatches: 'a\\*' }, { v: 'a*' })).toBe(true);
    expect(holds({ Variable: '$.v', StringMatches: 'a\\*' }, { v: 'ab' })).toBe(false);
  });

  it('compares timestamps as instants and only ISO-8601 date-times with an offset', () => {
    expect(
      holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T21:00:55+02:00' }),
    ).toBe(true);
    expect(holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55' })).toBe(
      false,
    );
    expect(
      holds(
        { Variable: '$.v', TimestampLessThanPath: '$.w' },
        { v: '2012-10-09T19:00:55Z', w: '2013-01-01T00:00:00Z' },
      ),
    ).toBe(true);
  });

  it('combines with And, Or and Not; a *Path comparand that is absent is a run-time error', () => {
    expect(
      holds(
        { And: [{ Variable: '$.a', NumericGreaterThan: 1 }, { Not: { Variable: '$.b', IsNull: true } }] },
        { a: 2, b: 1 },
      ),
    ).toBe(true);
    expect(
      holds(
        {
          Or: [
            { Variable: '$.a', NumericLessThan: 1 },
            { Variable: '$.a', NumericEquals: 2 },
          ],
        },
        { a: 2 },
      ),
    ).toBe(true);
    expect(() => holds({ Variable: '$.a', NumericEqualsPath: '$.missing' }, { a: 2 })).toThrow(RuntimeFault);
    expect(() => holds({ Variable: '$.missing', NumericEquals: 1 }, { a: 2 })).toThrow(
      "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
    expect(() => holds({ Variable: '$.missing', IsNull: false }, {})).toThrow(RuntimeFault);
  });
});
