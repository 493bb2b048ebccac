import type { ValueSpec } from '../chain/step';
import { TemplateError } from '../errors/template-error';
import { isTemplate } from './parse-template';
import { getPath, parsePath } from './path';
import { renderTemplate } from './render-template';

/**
 * Builds a value from a {@link ValueSpec} and a state document: templates render to strings, paths copy their
 * JSON value, other strings and literals stay, objects are built key by key. Throws {@link TemplateError} for a
 * missing path.
 *
 * @example
 * ```ts
 * resolveValue({ q: 'input.question', label: 'Q: {{input.question}}', lane: 'gold', n: 3 }, { input: { question: 'why?' } });
 * // { q: 'why?', label: 'Q: why?', lane: 'gold', n: 3 }
 * ```
 */
export function resolveValue(spec: ValueSpec, state: unknown, stepId?: string): unknown {
  if (typeof spec === 'string') {
    if (isTemplate(spec)) return renderTemplate(spec, state, stepId);
    const path = parsePath(spec);
    if (!path) return spec;
    const where = stepId === undefined ? '' : `Step "${stepId}": `;
    const { found, value } = getPath(state, path);
    if (!found) throw new TemplateError(`${where}path "${spec}" does not exist.`, { stepId });
    return value;
  }
  if (spec === null || typeof spec !== 'object') return spec;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) out[key] = resolveValue(value, state, stepId);
  return out;
}
