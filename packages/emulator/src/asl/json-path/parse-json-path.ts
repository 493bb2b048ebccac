/**
 * The JSONPath dialect of Step Functions: Jayway's (the Java library the service evaluates paths with). A path starts
 * at the state's input (`$`), the context object (`$$`) or a variable (`$name`, JSONPath `Assign`), then selects with
 * dot members (`.a`), bracket members (`['a']`, `["a"]`, unions `['a','b']`), indexes (`[0]`, negative from the end
 * `[-1]`, unions `[0,2]`), slices (`[1:3]`, `[:2]`, `[-2:]`), wildcards (`.*`, `[*]`), deep scans (`..a`) and filters
 * (`[?(@.x > 1)]`). There is no `.length` property: `.length` is a member named `length`, as in Jayway.
 */

/** Where a path starts. */
export type JsonPathRoot =
  | { kind: 'input' }
  | { kind: 'context' }
  | { kind: 'current' }
  | { kind: 'variable'; name: string };

/** A literal or path operand of a filter expression. */
export type FilterOperand =
  | { kind: 'path'; path: JsonPath }
  | { kind: 'literal'; value: unknown }
  | { kind: 'regex'; regex: RegExp };

/** A filter expression (`[?(...)]`). */
export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'exists'; operand: FilterOperand }
  | {
      kind: 'compare';
      operator: '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | 'in' | 'nin';
      left: FilterOperand;
      right: FilterOperand;
    };

/** One selector of a path. */
export type JsonPathSegment =
  | { kind: 'property'; names: string[] }
  | { kind: 'index'; indexes: number[] }
  | { kind: 'slice'; start: number | undefined; end: number | undefined }
  | { kind: 'wildcard' }
  | { kind: 'scan'; selector: JsonPathSegment }
  | { kind: 'filter'; expression: FilterExpression }
  | { kind: 'function'; name: string };

/** A parsed JSONPath. */
export interface JsonPath {
  /** The path as written. */
  text: string;
  root: JsonPathRoot;
  segments: JsonPathSegment[];
  /** Whether the path selects at most one value (Jayway's "definite" path); an indefinite path yields an array. */
  definite: boolean;
}

/** A JSONPath that cannot be parsed. */
export class JsonPathSyntaxError extends SyntaxError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Invalid JSONPath '${path}': ${reason}`);
    this.name = 'JsonPathSyntaxError';
  }
}

const NAME_START = /[A-Za-z_]/;

class PathReader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(reason: string): never {
    throw new JsonPathSyntaxError(this.text, `${reason} at position ${this.pos}`);
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\n') this.pos++;
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected '${char}'`);
    this.pos++;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }
}

function readRoot(reader: PathReader): JsonPathRoot {
  const char = reader.peek();
  if (char === '@') {
    reader.pos++;
    return { kind: 'current' };
  }
  if (char !== '$') reader.fail("a path starts with '$'");
  reader.pos++;
  if (reader.peek() === '$') {
    reader.pos++;
    return { kind: 'context' };
  }
  if (NAME_START.test(reader.peek())) {
    const start = reader.pos;
    while (/[A-Za-z0-9_]/.test(reader.peek())) reader.pos++;
    return { kind: 'variable', name: reader.text.slice(start, reader.pos) };
  }
  return { kind: 'input' };
}

/** A dot member: everything up to the next `.`, `[`, space or end (Jayway allows `-`, `:` and the like). */
function readDotName(reader: PathReader, stop: RegExp): string {
  const start = reader.pos;
  while (!reader.done && !stop.test(reader.peek())) reader.pos++;
  if (reader.pos === start) reader.fail('expected a member name');
  return reader.text.slice(start, reader.pos);
}

function readQuoted(reader: PathReader): string {
  const quote = reader.peek();
  reader.pos++;
  let value = '';
  for (;;) {
    if (reader.done) reader.fail('unterminated quoted name');
    const char = reader.peek();
    if (char === '\\' && reader.peek(1) === quote) {
      // Only the quote itself is escaped (Jayway): any other backslash is part of the name.
      value += quote;
      reader.pos += 2;
      continue;
    }
    if (char === quote) {
      reader.pos++;
      return value;
    }
    value += char;
    reader.pos++;
  }
}

function readInteger(reader: PathReader): number | undefined {
  reader.skipSpaces();
  const match = /^-?\d+/.exec(reader.text.slice(reader.pos));
  if (!match) return undefined;
  reader.pos += match[0].length;
  reader.skipSpaces();
  return Number(match[0]);
}

function readBracket(reader: PathReader, stop: RegExp): JsonPathSegment {
  reader.expect('[');
  reader.skipSpaces();
  const char = reader.peek();
  let segment: JsonPathSegment;
  if (char === '?') {
    reader.pos++;
    reader.skipSpaces();
    reader.expect('(');
    const expression = readOr(reader, stop);
    reader.skipSpaces();
    reader.expect(')');
    segment = { kind: 'filter', expression };
  } else if (char === '*') {
    reader.pos++;
    segment = { kind: 'wildcard' };
  } else if (char === "'" || char === '"') {
    const names = [readQuoted(reader)];
    reader.skipSpaces();
    while (reader.peek() === ',') {
      reader.pos++;
      reader.skipSpaces();
      if (reader.peek() !== "'" && reader.peek() !== '"') reader.fail('expected a quoted name');
      names.push(readQuoted(reader));
      reader.skipSpaces();
    }
    segment = { kind: 'property', names };
  } else {
    const first = readInteger(reader);
    if (reader.peek() === ':') {
      reader.pos++;
      const end = readInteger(reader);
      if (reader.peek() === ':') reader.fail('slice steps are not supported');
      segment = { kind: 'slice', start: first, end };
    } else {
      if (first === undefined) reader.fail('expected an index, a slice, a quoted name, * or a filter');
      const indexes = [first];
      while (reader.peek() === ',') {
        reader.pos++;
        const next = readInteger(reader);
        if (next === undefined) reader.fail('expected an index');
        indexes.push(next);
      }
      segment = { kind: 'index', indexes };
    }
  }
  reader.skipSpaces();
  reader.expect(']');
  return segment;
}

function readSegments(reader: PathReader, stop: RegExp): JsonPathSegment[] {
  const segments: JsonPathSegment[] = [];
  const nameStop = new RegExp(`[.\\[ (]|${stop.source}`);
  while (!reader.done && !stop.test(reader.peek())) {
    const char = reader.peek();
    if (char === '.' && reader.peek(1) === '.') {
      reader.pos += 2;
      if (reader.peek() === '[') segments.push({ kind: 'scan', selector: readBracket(reader, stop) });
      else if (reader.peek() === '*') {
        reader.pos++;
        segments.push({ kind: 'scan', selector: { kind: 'wildcard' } });
      } else segments.push({ kind: 'scan', selector: { kind: 'property', names: [readDotName(reader, nameStop)] } });
    } else if (char === '.') {
      reader.pos++;
      if (reader.peek() === '*') {
        reader.pos++;
        segments.push({ kind: 'wildcard' });
      } else if (reader.peek() === '[') {
        reader.fail("a '.' must be followed by a member name");
      } else {
        const name = readDotName(reader, nameStop);
        if (reader.peek() === '(') {
          reader.pos++;
          reader.skipSpaces();
          reader.expect(')');
          segments.push({ kind: 'function', name });
        } else segments.push({ kind: 'property', names: [name] });
      }
    } else if (char === '[') {
      segments.push(readBracket(reader, stop));
    } else {
      reader.fail(`unexpected '${char}'`);
    }
  }
  return segments;
}

function isDefinite(segments: JsonPathSegment[]): boolean {
  return segments.every((segment, index) => {
    switch (segment.kind) {
      case 'property':
        return segment.names.length === 1 || index === segments.length - 1;
      case 'index':
        return segment.indexes.length === 1;
      case 'function':
        return true;
      default:
        return false;
    }
  });
}

function readPath(reader: PathReader, stop: RegExp): JsonPath {
  const start = reader.pos;
  const root = readRoot(reader);
  const segments = readSegments(reader, stop);
  return { text: reader.text.slice(start, reader.pos), root, segments, definite: isDefinite(segments) };
}

// Filter expressions: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | '(' or ')' | comparison.

const FILTER_STOP = /[)=!<>&|,\] ~]/;

function readOr(reader: PathReader, stop: RegExp): FilterExpression {
  let left = readAnd(reader, stop);
  reader.skipSpaces();
  while (reader.text.startsWith('||', reader.pos)) {
    reader.pos += 2;
    left = { kind: 'or', left, right: readAnd(reader, stop) };
    reader.skipSpaces();
  }
  return left;
}

function readAnd(reader: PathReader, stop: RegExp): FilterExpression {
  let left = readUnary(reader, stop);
  reader.skipSpaces();
  while (reader.text.startsWith('&&', reader.pos)) {
    reader.pos += 2;
    left = { kind: 'and', left, right: readUnary(reader, stop) };
    reader.skipSpaces();
  }
  return left;
}

function readUnary(reader: PathReader, stop: RegExp): FilterExpression {
  reader.skipSpaces();
  if (reader.peek() === '!' && reader.peek(1) !== '=') {
    reader.pos++;
    return { kind: 'not', operand: readUnary(reader, stop) };
  }
  if (reader.peek() === '(') {
    reader.pos++;
    const inner = readOr(reader, stop);
    reader.skipSpaces();
    reader.expect(')');
    return inner;
  }
  const left = readOperand(reader);
  reader.skipSpaces();
  const operator = /^(==|!=|<=|>=|<|>|=~|nin\b|in\b)/.exec(reader.text.slice(reader.pos))?.[1];
  if (operator === undefined) return { kind: 'exists', operand: left };
  reader.pos += operator.length;
  const right = readOperand(reader);
  return { kind: 'compare', operator: operator as 'in', left, right };
}

function readOperand(reader: PathReader): FilterOperand {
  reader.skipSpaces();
  const char = reader.peek();
  if (char === '@' || char === '$') return { kind: 'path', path: readPath(reader, FILTER_STOP) };
  if (char === "'" || char === '"') return { kind: 'literal', value: readQuoted(reader) };
  if (char === '/') {
    const match = /^\/((?:\\.|[^/\\])*)\/([a-z]*)/.exec(reader.text.slice(reader.pos));
    if (!match) reader.fail('unterminated regular expression');
    reader.pos += match[0].length;
    try {
      return { kind: 'regex', regex: new RegExp(match[1] as string, match[2]) };
    } catch {
      reader.fail('invalid regular expression');
    }
  }
  if (char === '[') {
    const start = reader.pos;
    let depth = 0;
    for (; !reader.done; reader.pos++) {
      if (reader.peek() === '[') depth++;
      if (reader.peek() === ']' && --depth === 0) break;
    }
    reader.expect(']');
    try {
      return { kind: 'literal', value: JSON.parse(reader.text.slice(start, reader.pos).replaceAll("'", '"')) };
    } catch {
      reader.fail('invalid array literal');
    }
  }
  const match = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(reader.text.slice(reader.pos));
  if (!match) reader.fail('expected a path or a literal');
  reader.pos += (match[1] as string).length;
  return { kind: 'literal', value: JSON.parse(match[1] as string) };
}

const cache = new Map<string, JsonPath>();
const CACHE_MAX = 5000;

/**
 * Parses a JSONPath (`$.a[0]`, `$$.Execution.Input`, `$var.x`, `$..a`, `$.a[?(@.b > 1)]`). Parsed paths are cached by
 * text, so evaluating the same definition again never re-parses.
 * @throws JsonPathSyntaxError when the text is not a JSONPath.
 * @example
 * parseJsonPath('$.items[0].name').definite; // true
 * parseJsonPath('$.items[*].name').definite; // false
 */
export function parseJsonPath(text: string): JsonPath {
  const cached = cache.get(text);
  if (cached) return cached;
  const reader = new PathReader(text);
  const path = readPath(reader, /$^/);
  if (path.root.kind === 'current') throw new JsonPathSyntaxError(text, "'@' is only valid inside a filter");
  if (!reader.done) reader.fail('unexpected text');
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, path);
  return path;
}

/**
 * Reads one JSONPath at `start` of `text` up to a top-level `,` or `)` (an intrinsic function's argument).
 * @internal
 * @example
 * readJsonPathAt("$.a, 'x')", 0); // { path: parseJsonPath('$.a'), end: 3 }
 */
export function readJsonPathAt(text: string, start: number): { path: JsonPath; end: number } {
  // Find where the path ends: the first ',' or ')' outside brackets and quotes.
  let depth = 0;
  let quote = '';
  let end = start;
  for (; end < text.length; end++) {
    const char = text[end] as string;
    if (quote) {
      if (char === '\\') end++;
      else if (char === quote) quote = '';
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '[' || char === '(') depth++;
    else if (char === ']' || (char === ')' && depth > 0)) depth--;
    else if (depth === 0 && (char === ',' || char === ')')) break;
  }
  const source = text.slice(start, end).trimEnd();
  return { path: parseJsonPath(source), end: start + source.length };
}
