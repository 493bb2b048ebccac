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

/** Escapes literal text for an intrinsic-function string: `' { } \` get a backslash. @internal */
export function escapeIntrinsicText(text: string): string {
  return text.replace(/['{}\\]/g, '\\$&');
}

/**
 * Compiles template parts (core's `parseTemplate`, never re-parsed) to one ASL value:
 * - literal text only: the string itself;
 * - exactly `{{p | json}}`: `States.JsonToString($.p)`;
 * - anything else: `States.Format('<escaped text with {} per placeholder>', args...)`, a bare placeholder
 *   passing its path (Step Functions formats strings, numbers and booleans as runtime-local does),
 *   a `| json` placeholder passing `States.JsonToString($.p)`.
 * A lone bare placeholder still goes through `States.Format('{}', $.p)`: the path alone would keep a number a number,
 * where the template semantics turn it into text.
 * @internal
 */
export function compileTemplateParts(
  parts: readonly TemplatePart[],
  jsonPath: PathCompiler = toJsonPath,
): CompiledString {
  if (parts.every((part) => part.type === 'text')) return { literal: parts.map((part) => part.value).join('') };
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === 'path' && only.filter === 'json')
    return { expression: `States.JsonToString(${jsonPath(only.path)})` };
  return {
    expression: formatExpression(
      parts.map((part) => {
        if (part.type === 'text') return { text: part.value };
        const path = jsonPath(part.path);
        return { expression: part.filter === 'json' ? `States.JsonToString(${path})` : path };
      }),
    ),
  };
}

/**
 * A `States.Format(...)` call joining literal text and expressions (paths or intrinsics that yield strings,
 * numbers or booleans). Backslashes in the text travel as `States.Base64Decode` arguments: asl-validator (and so the
 * emulator) rejects an escaped backslash in an intrinsic string, although Step Functions accepts it.
 * @internal
 */
export function formatExpression(pieces: ReadonlyArray<{ text: string } | { expression: string }>): string {
  let format = '';
  const args: string[] = [];
  for (const piece of pieces) {
    if ('expression' in piece) {
      format += '{}';
      args.push(piece.expression);
      continue;
    }
    for (const [index, chunk] of piece.text.split(/(\\+)/).entries()) {
      if (index % 2 === 0) {
        format += escapeIntrinsicText(chunk);
      } else {
        format += '{}';
        args.push(`States.Base64Decode('${Buffer.from(chunk).toString('base64')}')`);
      }
    }
  }
  return args.length === 0 ? `States.Format('${format}')` : `States.Format('${format}', ${args.join(', ')})`;
}

/**
 * Compiles a template string.
 * @internal
 */
export function compileTemplate(template: string, jsonPath: PathCompiler = toJsonPath): CompiledString {
  return compileTemplateParts(parseTemplate(template), jsonPath);
}
