import { type ParsedPath, parseTemplate, type TemplatePart, toJsonPath } from '@stepwise/core';

/**
 * Turns a state path into the JSONPath of its value in the compiled machine (core's `toJsonPath`, unless a step's
 * location wraps its output: see `usagePlan`).
 * @internal
 */
export type PathCompiler = (path: ParsedPath) => string;

/**
 * A compiled template: `literal` for a plain string, else the ASL expression (`States.Format(...)`,
 * `States.JsonToString(...)`) to use as the value of a `.$` key.
 * @internal
 */
export type CompiledString = { literal: string } | { expression: string };

/**
 * Step Functions' limit of intrinsic function calls in one field, nested calls included (its own example,
 * `States.Format('{}', States.JsonToString($.a))`, counts two).
 * @internal
 */
export const MAX_INTRINSIC_CALLS = 10;

/**
 * Where a field can move work that would take it past {@link MAX_INTRINSIC_CALLS}: `spill(expression)` stores the
 * expression's value in a field of a Pass that runs before the state, and returns the JSONPath where the state reads
 * it (a path costs no call).
 * @internal
 */
export type Spill = (expression: string) => string;

/**
 * One piece of a rendered string: literal text, or a value read at run time. A `path` piece's value is formatted as
 * `States.Format` formats it; a `json` piece's value is rendered with `States.JsonToString`.
 * @internal
 */
export type TextPiece = { type: 'text'; value: string } | { type: 'path' | 'json'; jsonPath: string };

/** Escapes literal text for an intrinsic-function string: `' { } \` get a backslash (Step Functions' escapes). */
export function escapeIntrinsicText(text: string): string {
  return text.replace(/['{}\\]/g, '\\$&');
}

/** Template parts (core's `parseTemplate`) as pieces, paths compiled. @internal */
export function templatePieces(parts: readonly TemplatePart[], jsonPath: PathCompiler = toJsonPath): TextPiece[] {
  return parts.map((part) =>
    part.type === 'text'
      ? { type: 'text', value: part.value }
      : { type: part.filter === 'json' ? 'json' : 'path', jsonPath: jsonPath(part.path) },
  );
}

/**
 * Compiles pieces to one ASL value:
 * - literal text only: the string itself;
 * - exactly one `json` piece: `States.JsonToString($.p)`;
 * - anything else: `States.Format('<escaped text with {} per value>', args...)`, a `path` piece passing its path
 *   (Step Functions formats strings, numbers and booleans as runtime-local does), a `json` piece passing
 *   `States.JsonToString($.p)`.
 * A lone `path` piece still goes through `States.Format('{}', $.p)`: the path alone would keep a number a number,
 * where the template semantics turn it into text.
 *
 * The field costs one call per `States.Format` and one per `States.JsonToString`. When that passes
 * {@link MAX_INTRINSIC_CALLS}, every `States.JsonToString` goes to `spill` and the field reads its result by path:
 * one call, whatever the template. Without `spill` that throws (the compiler always gives one where it can happen).
 * @internal
 */
export function compilePieces(pieces: readonly TextPiece[], spill?: Spill): CompiledString {
  if (pieces.every((piece) => piece.type === 'text')) {
    return { literal: pieces.map((piece) => (piece as { value: string }).value).join('') };
  }
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only?.type === 'json') return { expression: `States.JsonToString(${only.jsonPath})` };
  const calls = 1 + pieces.filter((piece) => piece.type === 'json').length;
  const moved = calls > MAX_INTRINSIC_CALLS;
  if (moved && !spill) {
    throw new Error(`A template needs ${calls} intrinsic calls in one field and has nowhere to move them.`);
  }
  return {
    expression: formatExpression(
      pieces.map((piece) => {
        if (piece.type === 'text') return { text: piece.value };
        if (piece.type === 'path') return { expression: piece.jsonPath };
        const json = `States.JsonToString(${piece.jsonPath})`;
        return { expression: moved ? spill!(json) : json };
      }),
    ),
  };
}

/**
 * Compiles template parts (core's `parseTemplate`, never re-parsed); see {@link compilePieces}.
 * @internal
 */
export function compileTemplateParts(
  parts: readonly TemplatePart[],
  jsonPath: PathCompiler = toJsonPath,
  spill?: Spill,
): CompiledString {
  return compilePieces(templatePieces(parts, jsonPath), spill);
}

/**
 * A `States.Format(...)` call joining literal text and expressions (paths or intrinsics that yield strings,
 * numbers or booleans). `' { } \` in the text are escaped with a backslash, the escapes Step Functions documents
 * (it refuses any other, such as `\"`); every other character, quotes, newlines and emoji included, stays as it is.
 * @internal
 */
export function formatExpression(pieces: ReadonlyArray<{ text: string } | { expression: string }>): string {
  let format = '';
  const args: string[] = [];
  for (const piece of pieces) {
    if ('expression' in piece) {
      format += '{}';
      args.push(piece.expression);
    } else {
      format += escapeIntrinsicText(piece.text);
    }
  }
  return args.length === 0 ? `States.Format('${format}')` : `States.Format('${format}', ${args.join(', ')})`;
}

/**
 * Compiles a template string.
 * @internal
 */
export function compileTemplate(template: string, jsonPath: PathCompiler = toJsonPath, spill?: Spill): CompiledString {
  return compileTemplateParts(parseTemplate(template), jsonPath, spill);
}
