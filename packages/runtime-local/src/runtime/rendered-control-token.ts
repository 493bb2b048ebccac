import {
  getModelAdapter,
  type InvokeStep,
  isProviderModel,
  neutraliseControlTokens,
  parseTemplate,
  renderTemplate,
  type TemplatePart,
} from '@stepwise/core';

/** What an `invoke` step checks: its family's control tokens, and its templates with their own text neutralised. */
interface Guard {
  tokens: readonly string[];
  templates: { field: 'prompt' | 'system'; parts: TemplatePart[] }[];
}

/** Per step object (chains are data and reused): `null` when the step has nothing to check. */
const guards = new WeakMap<InvokeStep, Guard | null>();

function guardOf(step: InvokeStep): Guard | null {
  let guard = guards.get(step);
  if (guard !== undefined) return guard;
  guard = null;
  // Other providers' APIs take structured messages: no control tokens (decision 0007).
  const tokens = isProviderModel(step.model) ? [] : (getModelAdapter(step.model).controlTokens ?? []);
  if (tokens.length > 0) {
    const templates: Guard['templates'] = [];
    for (const field of ['prompt', 'system'] as const) {
      const template = step[field];
      if (template === undefined) continue;
      const parts = parseTemplate(template);
      // A template without placeholders is neutralised whole by the adapter, on both runtimes: nothing to check.
      if (!parts.some((part) => part.type === 'path')) continue;
      templates.push({
        field,
        parts: parts.map((part) =>
          part.type === 'text' ? { ...part, value: neutraliseControlTokens(part.value, tokens) } : part,
        ),
      });
    }
    if (templates.length > 0) guard = { tokens, templates };
  }
  guards.set(step, guard);
  return guard;
}

/**
 * The compiled machine's `<Step>.Guard` on runtime-local: a Llama 3 or Mistral `invoke` whose prompt or system,
 * rendered from the state, brings in one of the family's chat control tokens (`<|eot_id|>`, `[INST]`, ...) fails with
 * `States.Runtime` before the model is called, as on Step Functions, which cannot rewrite text it renders. The
 * template's own text is neutralised first (the compiler does it at compile time), so this finds a token exactly
 * where the adapter would have had to rewrite one that the state brought in, a token split between the template and
 * a value included. Returns the reason, or `undefined` when the step may call its model.
 *
 * @example
 * ```ts
 * const step = invoke('ask', { model: 'meta.llama3-8b-instruct-v1:0', prompt: 'Q: {{input.q}}' });
 * renderedControlToken(step, { input: { q: '<|eot_id|>' }, steps: {} }); // 'prompt renders a chat control token ...'
 * ```
 * @internal
 */
export function renderedControlToken(step: InvokeStep, state: unknown): string | undefined {
  const guard = guardOf(step);
  if (guard === null) return undefined;
  for (const { field, parts } of guard.templates) {
    const rendered = renderTemplate(parts, state, step.id);
    if (neutraliseControlTokens(rendered, guard.tokens) !== rendered) {
      return (
        `${field} renders a chat control token of ${step.model} (${guard.tokens.join(' ')}) from the chain's state; ` +
        'Step Functions cannot neutralise text it renders, so the step fails on every runtime.'
      );
    }
  }
  return undefined;
}
