import { TemplateError } from '../errors/template-error';
import { formatNumber, stringifyJson } from './format-number';
import { parseTemplate, type TemplatePart } from './parse-template';
import { getPath } from './path';

/**
 * Renders a template against a state document (`{ input, steps, item?, index? }`).
 * A bare placeholder must resolve to a string, number or boolean; `| json` renders any value compactly. Numbers
 * print as Step Functions prints them ({@link formatNumber}: `1.0E-7`, not `1e-7`), so a template renders the same
 * text on both runtimes.
 * Throws {@link TemplateError} naming the step and the path otherwise.
 *
 * @example
 * ```ts
 * renderTemplate('Q: {{input.q}} {{input.tags | json}}', { input: { q: 'why?', tags: ['a'] } }); // 'Q: why? ["a"]'
 * ```
 */
export function renderTemplate(template: string | TemplatePart[], state: unknown, stepId?: string): string {
  const parts = typeof template === 'string' ? parseTemplate(template) : template;
  let out = '';
  for (const part of parts) {
    if (part.type === 'text') {
      out += part.value;
      continue;
    }
    const { found, value } = getPath(state, part.path);
    const where = stepId === undefined ? '' : `Step "${stepId}": `;
    if (!found) {
      throw new TemplateError(`${where}template path "${part.path.source}" does not exist.`, { stepId });
    }
    if (part.filter === 'json') {
      out += stringifyJson(value);
    } else if (typeof value === 'string') {
      out += value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      out += typeof value === 'number' ? formatNumber(value) : String(value);
    } else {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
      throw new TemplateError(
        `${where}template path "${part.path.source}" is ${kind}; use "{{${part.path.source} | json}}" to render it.`,
        { stepId },
      );
    }
  }
  return out;
}
