const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Whether a string is a timestamp as Step Functions accepts it in `Timestamp` fields and `Timestamp*` comparisons: the
 * RFC 3339 profile of ISO 8601 with an uppercase `T` between date and time and an uppercase `Z` where no numeric
 * offset is given (`2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123+02:00`).
 *
 * @example
 * ```ts
 * isRfc3339Timestamp('2016-12-05T21:29:29Z'); // true
 * isRfc3339Timestamp('2016-12-05 21:29:29Z'); // false
 * ```
 */
export function isRfc3339Timestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  if ((month as number) < 1 || (month as number) > 12) return false;
  if ((day as number) < 1 || (day as number) > daysIn(year as number, month as number)) return false;
  if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 60) return false;
  if (match[7] !== undefined && (Number(match[7]) > 23 || Number(match[8]) > 59)) return false;
  return true;
}
