// A collapsible view of a JSON value: objects and arrays are <details> (keyboard and screen-reader friendly), open
// down to `open` levels; long strings fold too.

const LONG_STRING = 240;
const MAX_ENTRIES = 200;

/**
 * @param {unknown} value
 * @param {{ open?: number, label?: string }} [options] `open`: levels shown expanded (default 1)
 * @returns {HTMLElement}
 */
export function jsonView(value, options = {}) {
  const root = document.createElement('div');
  root.className = 'json';
  if (options.label) root.setAttribute('aria-label', options.label);
  root.append(node(value, options.open ?? 1, undefined));
  return root;
}

function node(value, open, key) {
  if (value !== null && typeof value === 'object') return branch(value, open, key);
  const line = document.createElement('div');
  line.className = 'json-line';
  if (key !== undefined) line.append(keyElement(key));
  line.append(leaf(value));
  return line;
}

function branch(value, open, key) {
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((item, index) => [index, item]) : Object.entries(value);
  const details = document.createElement('details');
  details.className = 'json-branch';
  if (open > 0) details.open = true;
  const summary = document.createElement('summary');
  if (key !== undefined) summary.append(keyElement(key));
  const brief = document.createElement('span');
  brief.className = 'json-brief';
  const count = entries.length;
  brief.textContent = isArray
    ? `[${count} ${count === 1 ? 'item' : 'items'}]`
    : `{${count} ${count === 1 ? 'key' : 'keys'}}`;
  summary.append(brief);
  details.append(summary);
  if (count === 0) {
    details.open = false;
    return details;
  }
  const list = document.createElement('div');
  list.className = 'json-children';
  // children are built when first shown: a 10,000-item map output costs nothing until opened
  const fill = () => {
    if (list.childElementCount > 0) return;
    for (const [childKey, child] of entries.slice(0, MAX_ENTRIES)) list.append(node(child, open - 1, childKey));
    if (count > MAX_ENTRIES) {
      const more = document.createElement('div');
      more.className = 'json-more';
      more.textContent = `… ${count - MAX_ENTRIES} more`;
      list.append(more);
    }
  };
  if (details.open) fill();
  else details.addEventListener('toggle', fill, { once: true });
  details.append(list);
  return details;
}

function keyElement(key) {
  const span = document.createElement('span');
  span.className = 'json-key';
  span.textContent = typeof key === 'number' ? `${key}: ` : `${JSON.stringify(key)}: `;
  return span;
}

function leaf(value) {
  const span = document.createElement('span');
  span.className = `json-${value === null ? 'null' : typeof value}`;
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  if (typeof value === 'string' && text.length > LONG_STRING) {
    const details = document.createElement('details');
    details.className = 'json-long';
    const summary = document.createElement('summary');
    summary.textContent = `${text.slice(0, 80)}…" (${value.length} characters)`;
    const full = document.createElement('span');
    full.textContent = text;
    details.append(summary, full);
    span.append(details);
    return span;
  }
  span.textContent = text;
  return span;
}
