// Numbers and names as the page shows them. No DOM here: the tests run it in Node.

/**
 * @param {number} ms
 * @returns {string} `0.4 ms`, `152.8 ms`, `1.53 s`
 */
export function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(Math.round(ms * 10) / 10).toFixed(1)} ms`;
}

/**
 * @param {{ inputTokens?: number, outputTokens?: number }} usage
 * @returns {string} `120 → 18 tokens`
 */
export function formatTokens(usage) {
  return `${usage.inputTokens ?? 0} → ${usage.outputTokens ?? 0} tokens`;
}

/**
 * A model id without its region, vendor and version: `us.anthropic.claude-3-5-haiku-20241022-v1:0` is
 * `claude-3-5-haiku`, `amazon.nova-lite-v1:0` is `nova-lite`, `openai:gpt-4o-mini` is `gpt-4o-mini`.
 *
 * @param {string} model
 * @returns {string}
 */
export function modelName(model) {
  if (typeof model !== 'string') return '';
  const colon = model.indexOf(':');
  if (colon > 0 && !model.slice(0, colon).includes('.')) return model.slice(colon + 1);
  const parts = model.split('.');
  let name =
    parts.length >= 3 && /^[a-z]{2,4}$/.test(parts[0]) ? parts.slice(2).join('.') : parts.slice(1).join('.') || model;
  name = name
    .replace(/:\d+$/, '')
    .replace(/-v\d+$/, '')
    .replace(/-\d{8}$/, '');
  return name;
}
