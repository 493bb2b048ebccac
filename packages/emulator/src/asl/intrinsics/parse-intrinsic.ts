import { type JsonPath, readJsonPathAt } from '../json-path/parse-json-path';

/** Every intrinsic function of Step Functions (JSONPath query language). */
export const INTRINSIC_FUNCTIONS = [
  'States.Format',
  'States.StringToJson',
  'States.JsonToString',
  'States.Array',
  'States.ArrayPartition',
  'States.ArrayContains',
  'States.ArrayRange',
  'States.ArrayGetItem',
  'States.ArrayLength',
  'States.ArrayUnique',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Hash',
  'States.JsonMerge',
  'States.MathRandom',
  'States.MathAdd',
  'States.StringSplit',
  'States.UUID',
] as const;

/** The name of an intrinsic function. */
export type IntrinsicName = (typeof INTRINSIC_FUNCTIONS)[number];

/** An argument of an intrinsic function. */
export type IntrinsicArgument =
  | {
      kind: 'string';
      /** The string, escapes resolved. */
      value: string;
      /** The text between the quotes, escapes kept (`States.Format` tells `\{` from `{`). */
      raw: string;
    }
  | {
      kind: 'number';
      value: number;
      /** The number as written (`1.0`). */
      text: string;
    }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'path'; path: JsonPath }
  | IntrinsicCall;

/** A call of an intrinsic function, `States.Format('{}', $.a)`. */
export interface IntrinsicCall {
  kind: 'call';
  name: IntrinsicName;
  args: IntrinsicArgument[];
  /** The call as written. */
  text: string;
}

/** An intrinsic function call that cannot be parsed. */
export class IntrinsicSyntaxError extends SyntaxError {
  constructor(
    readonly source: string,
    reason: string,
    readonly position: number,
  ) {
    super(`Invalid intrinsic function '${source}': ${reason} at position ${position}`);
    this.name = 'IntrinsicSyntaxError';
  }
}

const KNOWN = new Set<string>(INTRINSIC_FUNCTIONS);

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(reason: string, at = this.pos): never {
    throw new IntrinsicSyntaxError(this.text, reason, at);
  }

  skipSpaces(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }
}

function readCall(reader: Reader): IntrinsicCall {
  const start = reader.pos;
  const name = /^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*/.exec(reader.text.slice(reader.pos))?.[0];
  if (name === undefined) reader.fail('expected an intrinsic function name (States.Xxx)');
  if (!KNOWN.has(name)) reader.fail(`unknown intrinsic function ${name}`);
  reader.pos += name.length;
  reader.skipSpaces();
  if (reader.peek() !== '(') reader.fail(`expected '(' after ${name}`);
  reader.pos++;
  reader.skipSpaces();
  const args: IntrinsicArgument[] = [];
  if (reader.peek() === ')') {
    reader.pos++;
  } else {
    for (;;) {
      args.push(readArgument(reader));
      reader.skipSpaces();
      const char = reader.peek();
      reader.pos++;
      if (char === ')') break;
      if (char !== ',')
        reader.fail(char === '' ? `unterminated call of ${name}` : "expected ',' or ')'", reader.pos - 1);
      reader.skipSpaces();
    }
  }
  return { kind: 'call', name: name as IntrinsicName, args, text: reader.text.slice(start, reader.pos) };
}

function readString(reader: Reader): IntrinsicArgument {
  const start = reader.pos;
  reader.pos++;
  let value = '';
  for (;;) {
    const char = reader.peek();
    if (char === '') reader.fail('unterminated string literal', start);
    if (char === '\\') {
      const next = reader.text[reader.pos + 1];
      if (next === undefined) reader.fail('unterminated string literal', start);
      value += next;
      reader.pos += 2;
      continue;
    }
    if (char === "'") {
      reader.pos++;
      return { kind: 'string', value, raw: reader.text.slice(start + 1, reader.pos - 1) };
    }
    value += char;
    reader.pos++;
  }
}

function readArgument(reader: Reader): IntrinsicArgument {
  const char = reader.peek();
  if (char === "'") return readString(reader);
  if (char === '$') {
    const { path, end } = readJsonPathAtSafe(reader);
    reader.pos = end;
    return { kind: 'path', path };
  }
  const rest = reader.text.slice(reader.pos);
  const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/.exec(rest)?.[0];
  if (number !== undefined) {
    reader.pos += number.length;
    return { kind: 'number', value: Number(number), text: number };
  }
  const keyword = /^(true|false|null)(?![\w.])/.exec(rest)?.[1];
  if (keyword !== undefined) {
    reader.pos += keyword.length;
    return keyword === 'null' ? { kind: 'null' } : { kind: 'boolean', value: keyword === 'true' };
  }
  if (/^[A-Za-z]/.test(char)) return readCall(reader);
  return reader.fail(char === '' ? 'expected an argument' : `unexpected '${char}'`);
}

function readJsonPathAtSafe(reader: Reader): { path: JsonPath; end: number } {
  try {
    return readJsonPathAt(reader.text, reader.pos);
  } catch (error) {
    return reader.fail((error as Error).message);
  }
}

const cache = new Map<string, IntrinsicCall>();
const CACHE_MAX = 5000;

/**
 * Parses an intrinsic function call, the value of a `"x.$"` field that starts with `States.`. String arguments are in
 * single quotes, where `\'`, `\{`, `\}` and `\\` stand for the character after the backslash. Parsed calls are cached
 * by text.
 * @throws IntrinsicSyntaxError when the text is not one well-formed call of a known intrinsic function.
 * @example
 * const call = parseIntrinsic("States.Format('Hello, {}!', $.name)");
 * call.name; // 'States.Format'
 * call.args.length; // 2
 */
export function parseIntrinsic(text: string): IntrinsicCall {
  const cached = cache.get(text);
  if (cached) return cached;
  const reader = new Reader(text);
  reader.skipSpaces();
  const call = readCall(reader);
  reader.skipSpaces();
  if (reader.pos < text.length) reader.fail('unexpected text after the call');
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, call);
  return call;
}

/**
 * The number of intrinsic function calls in a call, itself and every nested call included (Step Functions allows at
 * most 10 in one field).
 * @example
 * countIntrinsicCalls(parseIntrinsic('States.ArrayGetItem(States.StringSplit($.a, \',\'), 0)')); // 2
 */
export function countIntrinsicCalls(call: IntrinsicCall): number {
  let count = 1;
  for (const arg of call.args) if (arg.kind === 'call') count += countIntrinsicCalls(arg);
  return count;
}
