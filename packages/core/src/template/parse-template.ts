import { TemplateError } from '../errors/template-error';
import { type ParsedPath, parsePath } from './path';

/**
 * A literal run of text in a template.
 *
 * @example
 * ```ts
 * const text: TemplateText = { type: 'text', value: 'Question: ' };
 * ```
 */
export interface TemplateText {
  type: 'text';
  value: string;
}

/**
 * A `{{path}}` or `{{path | json}}` placeholder.
 *
 * @example
 * ```ts
 * const part: TemplatePlaceholder = { type: 'path', path: parsePath('steps.docs.results')!, filter: 'json' };
 * ```
 */
export interface TemplatePlaceholder {
  type: 'path';
  path: ParsedPath;
  /** `json` renders any JSON value compactly; without it the value must be a string, number or boolean. */
  filter?: 'json';
}

/**
 * A parsed template: literal parts and placeholders, in order. Runtimes render it; the compiler translates it.
 *
 * @example
 * ```ts
 * for (const part of parseTemplate('Hi {{input.name}}')) if (part.type === 'path') console.log(part.path.source);
 * ```
 */
export type TemplatePart = TemplateText | TemplatePlaceholder;

const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([A-Za-z]+)\s*)?\}\}/g;
const cache = new Map<string, TemplatePart[]>();
const CACHE_LIMIT = 2048;

/**
 * Parses a template such as `Question: {{input.question}}\nContext: {{steps.docs.results | json}}`.
 * Throws {@link TemplateError} for a malformed placeholder, an invalid path or an unknown filter.
 * Results are cached by template text (the last 2,048 templates parsed), so rendering a chain's templates on every
 * run parses each once.
 *
 * @example
 * ```ts
 * parseTemplate('Hi {{input.name}}!');
 * // [{ type: 'text', value: 'Hi ' }, { type: 'path', path: { source: 'input.name', ... } }, { type: 'text', value: '!' }]
 * ```
 */
export function parseTemplate(template: string): TemplatePart[] {
  const cached = cache.get(template);
  if (cached) return cached;
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) pushText(parts, template.slice(last, match.index));
    const source = match[1]!;
    const path = parsePath(source);
    if (!path) throw new TemplateError(`Template placeholder "${match[0]}" has an invalid path "${source}".`);
    const filter = match[2];
    if (filter !== undefined && filter !== 'json') {
      throw new TemplateError(
        `Template placeholder "${match[0]}" uses unknown filter "${filter}" (only "json" exists).`,
      );
    }
    parts.push(filter ? { type: 'path', path, filter } : { type: 'path', path });
    last = match.index + match[0].length;
  }
  if (last < template.length) pushText(parts, template.slice(last));
  // Past the limit the oldest entry goes, not the whole cache: an application with more templates than the limit
  // keeps the ones it renders on every run.
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(template, parts);
  return parts;
}

function pushText(parts: TemplatePart[], value: string): void {
  const open = value.indexOf('{{');
  const close = value.indexOf('}}');
  if (open !== -1 || close !== -1) {
    throw new TemplateError(
      `Template has an unbalanced "${open !== -1 ? '{{' : '}}'}" in "${value}"; placeholders are {{path}} or {{path | json}}.`,
    );
  }
  parts.push({ type: 'text', value });
}

/**
 * Whether a string is a template (contains a `{{` placeholder) rather than a bare path.
 *
 * @example
 * ```ts
 * isTemplate('{{input.q}}?'); // true
 * isTemplate('input.q'); // false
 * ```
 */
export function isTemplate(value: string): boolean {
  return value.includes('{{');
}
