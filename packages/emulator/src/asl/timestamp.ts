const ISO_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO-8601 extended offset date-time (`2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123+02:00`) as milliseconds
 * since the epoch, or `undefined` when the text is not one (no offset, month 13, hour 25, ...): the timestamps that
 * Step Functions accepts in Wait states and Timestamp comparisons.
 * @example
 * parseTimestamp('2016-03-14T01:59:00Z'); // 1457920740000
 * parseTimestamp('2016-03-14T01:59:00'); // undefined
 */
export function parseTimestamp(text: string): number | undefined {
  const match = ISO_OFFSET.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', offset] = match as unknown as string[];
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  let offsetMinutes = 0;
  if (offset && offset !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (oh > 18 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const millis = Number(`0.${fraction || '0'}`) * 1000;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  return utc - offsetMinutes * 60_000 + millis;
}
