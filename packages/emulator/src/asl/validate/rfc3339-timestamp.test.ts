import { describe, expect, it } from 'vitest';
import { isRfc3339Timestamp } from './rfc3339-timestamp';

describe('isRfc3339Timestamp', () => {
  it('accepts RFC 3339 timestamps with an uppercase T and Z or a numeric offset', () => {
    expect(isRfc3339Timestamp('2016-03-14T01:59:00Z')).toBe(true);
    expect(isRfc3339Timestamp('2016-03-14T01:59:00.123456Z')).toBe(true);
    expect(isRfc3339Timestamp('2016-03-14T01:59:00+02:00')).toBe(true);
    expect(isRfc3339Timestamp('2024-02-29T23:59:59Z')).toBe(true);
  });

  it('refuses what AWS refused: a space for T, no Z, a day-first date, a JSONata expression', () => {
    expect(isRfc3339Timestamp('2016-12-05 21:29:29Z')).toBe(false);
    expect(isRfc3339Timestamp('2016-12-05T21:29:29')).toBe(false);
    expect(isRfc3339Timestamp('05-12-2016T21:29:29Z')).toBe(false);
    expect(isRfc3339Timestamp("{% '2016-03-14T01:59:00Z' %}")).toBe(false);
  });

  it('refuses lowercase separators and impossible dates and times', () => {
    expect(isRfc3339Timestamp('2016-03-14t01:59:00z')).toBe(false);
    expect(isRfc3339Timestamp('2023-02-29T00:00:00Z')).toBe(false);
    expect(isRfc3339Timestamp('2016-13-01T00:00:00Z')).toBe(false);
    expect(isRfc3339Timestamp('2016-03-14T24:00:00Z')).toBe(false);
  });
});
