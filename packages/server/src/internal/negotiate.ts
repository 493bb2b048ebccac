/**
 * Content negotiation over `Accept` and `Accept-Encoding`, with the rules the Express app used (those of the
 * `negotiator` package): each offered value gets the quality of the most specific entry that matches it (an exact
 * match over a wildcard; for media types, matching parameters over none), and the winner is the highest quality, then
 * the most specific, then the one listed first in the header, then the one offered first. A quality of 0 refuses.
 */

/** One entry of an `Accept`-style header: its value as written, its parameters (names in lower case). */
interface HeaderEntry {
  value: string;
  params: Record<string, string>;
  /** Position in the header. */
  index: number;
}

/** A matching entry's weight for one offered value. */
interface Priority {
  /** Index of the offered value. */
  offered: number;
  /** Index of the entry in the header. */
  order: number;
  quality: number;
  specificity: number;
}

/**
 * The media type of `offered` a client prefers by its `Accept` header; without the header (or with an empty one),
 * the first offered. `undefined` when the header accepts none of them.
 * @internal
 */
export function preferredMediaType(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept === '') return offered[0];
  const entries: Array<{ type: string; subtype: string; params: Record<string, string>; q: number; index: number }> =
    [];
  for (const entry of parseAcceptHeader(accept)) {
    const slash = entry.value.indexOf('/');
    if (slash < 0) continue;
    const { q, ...params } = entry.params;
    entries.push({
      type: entry.value.slice(0, slash).toLowerCase(),
      subtype: entry.value.slice(slash + 1).toLowerCase(),
      params,
      q: qualityOf(q),
      index: entry.index,
    });
  }
  return best(offered, (value, offeredIndex) => {
    const slash = value.indexOf('/');
    const type = value.slice(0, slash).toLowerCase();
    const subtype = value.slice(slash + 1).toLowerCase();
    let priority: Priority = { offered: offeredIndex, order: -1, quality: 0, specificity: 0 };
    for (const entry of entries) {
      let specificity = 0;
      if (entry.type === type) specificity |= 4;
      else if (entry.type !== '*') continue;
      if (entry.subtype === subtype) specificity |= 2;
      else if (entry.subtype !== '*') continue;
      // the offered types have no parameters: an entry that names any (other than `*`) does not match them
      const names = Object.keys(entry.params);
      if (names.length > 0) {
        if (!names.every((name) => entry.params[name] === '*' || entry.params[name] === '')) continue;
        specificity |= 1;
      }
      const candidate = { offered: offeredIndex, order: entry.index, quality: entry.q, specificity };
      if (outranks(candidate, priority)) priority = candidate;
    }
    return priority;
  });
}

/**
 * The content coding of `offered` a client prefers by its `Accept-Encoding` header (`identity` is acceptable unless
 * the header refuses it), or `undefined`.
 * @internal
 */
export function preferredEncoding(header: string | undefined, offered: readonly string[]): string | undefined {
  const entries: Array<{ coding: string; q: number; index: number }> = [];
  let hasIdentity = false;
  let lowest = 1;
  const parsed = parseAcceptHeader(header ?? '');
  for (const entry of parsed) {
    if (entry.value === '') continue;
    const q = qualityOf(entry.params.q);
    entries.push({ coding: entry.value.toLowerCase(), q, index: entry.index });
    hasIdentity ||= entry.value === '*' || entry.value.toLowerCase() === 'identity';
    lowest = Math.min(lowest, q || 1);
  }
  // identity, when not named, is acceptable with the lowest quality named
  if (!hasIdentity) entries.push({ coding: 'identity', q: lowest, index: parsed.length });
  return best(offered, (value, offeredIndex) => {
    const coding = value.toLowerCase();
    let priority: Priority = { offered: offeredIndex, order: -1, quality: 0, specificity: 0 };
    for (const entry of entries) {
      let specificity = 0;
      if (entry.coding === coding) specificity = 1;
      else if (entry.coding !== '*') continue;
      const candidate = { offered: offeredIndex, order: entry.index, quality: entry.q, specificity };
      if (outranks(candidate, priority)) priority = candidate;
    }
    return priority;
  });
}

/** A `q` parameter's value: 1 when absent or empty; a value that is not a number refuses (NaN is not above 0). */
function qualityOf(q: string | undefined): number {
  return q ? Number.parseFloat(q) : 1;
}

/** Whether `a` is a better match of one offered value than `b`: more specific, then higher quality, then earlier. */
function outranks(a: Priority, b: Priority): boolean {
  return (b.specificity - a.specificity || b.quality - a.quality || b.order - a.order) < 0;
}

/** The offered value whose priority sorts first, among those with a quality above 0. */
function best(offered: readonly string[], priorityOf: (value: string, index: number) => Priority): string | undefined {
  let winner: Priority | undefined;
  offered.forEach((value, index) => {
    const priority = priorityOf(value, index);
    if (!(priority.quality > 0)) return;
    if (winner === undefined || compare(priority, winner) < 0) winner = priority;
  });
  return winner === undefined ? undefined : offered[winner.offered];
}

function compare(a: Priority, b: Priority): number {
  return b.quality - a.quality || b.specificity - a.specificity || a.order - b.order || a.offered - b.offered;
}

const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Splits an `Accept`-style header into entries: `value;name=param;name="quoted, param"`, separated by commas outside
 * quotes. Lenient, as the header comes from anyone: what does not parse is skipped, never thrown. The first of two
 * parameters with one name wins.
 */
function parseAcceptHeader(header: string): HeaderEntry[] {
  const entries: HeaderEntry[] = [];
  const length = header.length;
  let at = 0;
  while (at < length) {
    at = skipSpace(header, at);
    const valueStart = at;
    while (at < length && header.charCodeAt(at) !== SEMICOLON && header.charCodeAt(at) !== COMMA) at++;
    const value = header.slice(valueStart, trimEnd(header, valueStart, at));
    const params: Record<string, string> = {};
    // parameters, until the comma that ends the entry
    while (at < length && header.charCodeAt(at) !== COMMA) {
      at = skipSpace(header, at + 1); // past the `;`
      const nameStart = at;
      while (at < length) {
        const code = header.charCodeAt(at);
        if (code === COMMA || code === SEMICOLON || code === EQUALS) break;
        at++;
      }
      if (at >= length || header.charCodeAt(at) !== EQUALS) continue; // a name without a value
      const name = header.slice(nameStart, trimEnd(header, nameStart, at)).toLowerCase();
      at = skipSpace(header, at + 1);
      if (header.charCodeAt(at) === QUOTE) {
        at++;
        let text = '';
        let closed = false;
        while (at < length) {
          const code = header.charCodeAt(at++);
          if (code === QUOTE) {
            closed = true;
            break;
          }
          if (code === BACKSLASH && at < length) {
            text += header[at++];
            continue;
          }
          text += String.fromCharCode(code);
        }
        if (!closed) break;
        while (at < length && header.charCodeAt(at) !== SEMICOLON && header.charCodeAt(at) !== COMMA) at++;
        if (params[name] === undefined) params[name] = text;
        continue;
      }
      const textStart = at;
      while (at < length && header.charCodeAt(at) !== SEMICOLON && header.charCodeAt(at) !== COMMA) at++;
      if (params[name] === undefined) params[name] = header.slice(textStart, trimEnd(header, textStart, at));
    }
    entries.push({ value, params, index: entries.length });
    at++; // past the comma
  }
  return entries;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at++;
  return at;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) end--;
  return end;
}
