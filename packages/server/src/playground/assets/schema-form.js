// An input form generated from a chain's JSON Schema: strings, numbers, booleans and enums as controls, objects as
// fieldsets, arrays as lists with Add and Remove; what the form cannot express (unions, maps of any keys) is edited as
// JSON in place. The value is plain JSON, kept by the form and handed to `onChange` on every edit.

/**
 * The value a new form starts with: defaults, required properties, `minItems` items.
 *
 * @param {any} schema
 * @param {any} [root] the schema `$ref`s resolve against
 * @returns {unknown}
 */
export function defaultValue(schema, root = schema) {
  const s = resolve(schema, root);
  if (s === undefined) return {};
  if ('default' in s) return structuredClone(s.default);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  switch (typeOf(s)) {
    case 'object': {
      const out = {};
      const required = new Set(s.required ?? []);
      for (const [key, property] of Object.entries(s.properties ?? {})) {
        const inner = resolve(property, root);
        if (required.has(key) || (inner && 'default' in inner)) out[key] = defaultValue(inner, root);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => defaultValue(s.items ?? {}, root));
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return null;
  }
}

/**
 * Builds the form.
 *
 * @param {{ schema: any, value: unknown, onChange: (value: unknown) => void, idPrefix?: string, exclude?: string[] }} options
 *   `exclude`: top-level properties not shown (kept in the value)
 * @returns {{ element: HTMLElement, value: () => unknown, setValue: (value: unknown) => void, showIssues: (issues: { path: (string | number)[], message: string }[]) => number }}
 */
export function createSchemaForm(options) {
  const { schema, onChange } = options;
  const prefix = options.idPrefix ?? 'field';
  const exclude = new Set(options.exclude ?? []);
  const element = document.createElement('div');
  element.className = 'schema-form';
  let value = options.value;

  const idOf = (path) => (path.length === 0 ? `${prefix}-input` : `${prefix}-${path.join('-')}`);

  const get = (path) => path.reduce((at, key) => (at === null || at === undefined ? undefined : at[key]), value);
  const set = (path, next) => {
    if (path.length === 0) {
      value = next;
    } else {
      let at = value;
      for (const key of path.slice(0, -1)) at = at[key];
      if (next === undefined && !Array.isArray(at)) delete at[path.at(-1)];
      else at[path.at(-1)] = next;
    }
    onChange(value);
  };

  const render = (focusId) => {
    element.replaceChildren();
    const root = resolve(schema, schema);
    if (root && typeOf(root) === 'object' && root.properties && isPlainObject(value)) {
      const required = new Set(root.required ?? []);
      for (const [key, property] of Object.entries(root.properties)) {
        if (exclude.has(key)) continue;
        element.append(field(property, [key], required.has(key), key));
      }
      if (element.childElementCount === 0) {
        const empty = document.createElement('p');
        empty.className = 'muted';
        empty.textContent = 'No other input.';
        element.append(empty);
      }
    } else {
      element.append(field(schema, [], true, 'input'));
    }
    if (focusId) document.getElementById(focusId)?.focus();
  };

  /** One property: a control, a fieldset, a list, or JSON. */
  const field = (propertySchema, path, required, label) => {
    const s = resolve(propertySchema, schema) ?? {};
    const inner = nullableInner(s, schema);
    const kind = controlKind(inner, schema);
    const current = get(path);
    if (kind === 'object' && isPlainObject(current)) return objectField(inner, path, required, label, s);
    if (kind === 'array' && Array.isArray(current)) return arrayField(inner, path, required, label, s);
    if (kind === 'json' || kind === 'object' || kind === 'array') return jsonField(path, required, label, s);
    return simpleField(inner, kind, path, required, label, s);
  };

  const labelFor = (id, text, required) => {
    const element = document.createElement('label');
    element.htmlFor = id;
    element.textContent = text;
    if (!required) {
      const optional = document.createElement('span');
      optional.className = 'optional';
      optional.textContent = ' (optional)';
      element.append(optional);
    }
    return element;
  };

  const hint = (s, id) => {
    const text = [s.description, constraints(s)].filter(Boolean).join(' ');
    if (!text) return undefined;
    const small = document.createElement('p');
    small.className = 'hint';
    small.id = `${id}-hint`;
    small.textContent = text;
    return small;
  };

  const wrap = (...children) => {
    const div = document.createElement('div');
    div.className = 'field';
    div.append(...children.filter(Boolean));
    return div;
  };

  const simpleField = (s, kind, path, required, label, described) => {
    const id = idOf(path);
    const current = get(path);
    let control;
    if (kind === 'enum') {
      control = document.createElement('select');
      if (!required) control.append(new Option('(none)', ''));
      s.enum.forEach((option, index) => {
        const item = new Option(String(option), String(index));
        if (option === current) item.selected = true;
        control.append(item);
      });
      control.addEventListener('change', () => {
        set(path, control.value === '' ? undefined : s.enum[Number(control.value)]);
      });
    } else if (kind === 'boolean') {
      control = document.createElement('input');
      control.type = 'checkbox';
      control.checked = current === true;
      control.addEventListener('change', () => set(path, control.checked));
    } else if (kind === 'number' || kind === 'integer') {
      control = document.createElement('input');
      control.type = 'number';
      if (kind === 'integer') control.step = '1';
      else control.step = 'any';
      if (typeof s.minimum === 'number') control.min = String(s.minimum);
      if (typeof s.maximum === 'number') control.max = String(s.maximum);
      control.value = typeof current === 'number' ? String(current) : '';
      control.addEventListener('input', () => {
        set(path, control.value === '' ? (required ? null : undefined) : Number(control.value));
      });
    } else {
      const long = s.maxLength === undefined ? false : s.maxLength > 200;
      control = document.createElement(long ? 'textarea' : 'input');
      if (long) control.rows = 3;
      else control.type = 'text';
      if (typeof s.maxLength === 'number') control.maxLength = s.maxLength;
      control.value =
        typeof current === 'string' ? current : current === undefined || current === null ? '' : String(current);
      control.addEventListener('input', () => {
        set(path, control.value === '' && !required ? undefined : control.value);
      });
    }
    control.id = id;
    control.name = path.join('.') || 'input';
    control.dataset.path = JSON.stringify(path);
    if (required && kind !== 'boolean') control.required = true;
    const help = hint(described, id);
    if (help) control.setAttribute('aria-describedby', help.id);
    if (kind === 'boolean') {
      const row = document.createElement('div');
      row.className = 'check';
      row.append(control, labelFor(id, label, required));
      return wrap(row, help);
    }
    return wrap(labelFor(id, label, required), control, help);
  };

  const jsonField = (path, required, label, described) => {
    const id = idOf(path);
    const control = document.createElement('textarea');
    control.id = id;
    control.rows = 3;
    control.className = 'code';
    control.spellcheck = false;
    control.dataset.path = JSON.stringify(path);
    const current = get(path);
    control.value = current === undefined ? '' : JSON.stringify(current, null, 2);
    const error = document.createElement('p');
    error.className = 'field-error';
    error.id = `${id}-error`;
    control.addEventListener('input', () => {
      if (control.value.trim() === '') {
        control.removeAttribute('aria-invalid');
        error.textContent = '';
        set(path, required ? null : undefined);
        return;
      }
      try {
        const parsed = JSON.parse(control.value);
        control.removeAttribute('aria-invalid');
        error.textContent = '';
        set(path, parsed);
      } catch {
        control.setAttribute('aria-invalid', 'true');
        error.textContent = 'Not valid JSON yet.';
      }
    });
    const help = hint(described, id);
    control.setAttribute('aria-describedby', [help?.id, error.id].filter(Boolean).join(' '));
    return wrap(labelFor(id, `${label} (JSON)`, required), control, help, error);
  };

  const objectField = (s, path, required, label, described) => {
    const id = idOf(path);
    const fieldset = document.createElement('fieldset');
    fieldset.id = id;
    fieldset.dataset.path = JSON.stringify(path);
    const legend = document.createElement('legend');
    legend.textContent = required ? label : `${label} (optional)`;
    fieldset.append(legend);
    const help = hint(described, id);
    if (help) fieldset.append(help);
    const inner = new Set(s.required ?? []);
    for (const [key, property] of Object.entries(s.properties ?? {})) {
      if (get([...path, key]) === undefined && !inner.has(key)) {
        // an optional property without a value: a control that adds it
        const propertySchema = resolve(property, schema) ?? {};
        const kind = controlKind(nullableInner(propertySchema, schema), schema);
        if (kind === 'object' || kind === 'array') {
          fieldset.append(
            addButton(`Add ${key}`, () => {
              set([...path, key], defaultValue(propertySchema, schema));
              render(idOf([...path, key]));
            }),
          );
          continue;
        }
      }
      fieldset.append(field(property, [...path, key], inner.has(key), key));
    }
    return fieldset;
  };

  const arrayField = (s, path, required, label, described) => {
    const id = idOf(path);
    const items = get(path);
    const itemSchema = resolve(s.items ?? {}, schema) ?? {};
    const fieldset = document.createElement('fieldset');
    fieldset.id = id;
    fieldset.className = 'array';
    fieldset.dataset.path = JSON.stringify(path);
    const legend = document.createElement('legend');
    legend.textContent = `${label}${required ? '' : ' (optional)'} · ${items.length} ${items.length === 1 ? 'item' : 'items'}`;
    fieldset.append(legend);
    const help = hint(described, id);
    if (help) fieldset.append(help);
    const singular = label.endsWith('s') && label.length > 1 ? label.slice(0, -1) : `${label} item`;
    items.forEach((_item, index) => {
      const itemPath = [...path, index];
      const row = document.createElement('div');
      row.className = 'array-item';
      row.append(field(itemSchema, itemPath, true, `${singular} ${index + 1}`));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'small secondary';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${singular} ${index + 1}`);
      remove.addEventListener('click', () => {
        items.splice(index, 1);
        onChange(value);
        render(`${id}-add`);
      });
      if (typeof s.minItems === 'number' && items.length <= s.minItems) remove.disabled = true;
      row.append(remove);
      fieldset.append(row);
    });
    const add = addButton(`Add ${singular}`, () => {
      items.push(defaultValue(itemSchema, schema));
      onChange(value);
      const first = firstControlId(itemSchema, [...path, items.length - 1]);
      render(first);
    });
    add.id = `${id}-add`;
    if (typeof s.maxItems === 'number' && items.length >= s.maxItems) add.disabled = true;
    fieldset.append(add);
    return fieldset;
  };

  const firstControlId = (s, path) => {
    const inner = nullableInner(resolve(s, schema) ?? {}, schema);
    if (controlKind(inner, schema) === 'object') {
      const first = Object.keys(inner.properties ?? {})[0];
      if (first !== undefined) return firstControlId(inner.properties[first], [...path, first]);
    }
    return idOf(path);
  };

  const addButton = (text, onClick) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'small secondary add';
    button.textContent = text;
    button.addEventListener('click', onClick);
    return button;
  };

  render();

  return {
    element,
    value: () => value,
    setValue(next) {
      value = next;
      render();
    },
    showIssues(issues) {
      for (const old of element.querySelectorAll('.issue')) old.remove();
      for (const old of element.querySelectorAll('[aria-invalid="true"]')) old.removeAttribute('aria-invalid');
      let matched = 0;
      for (const issue of issues) {
        const path = Array.isArray(issue.path) ? [...issue.path] : [];
        // the closest control or group: an issue about a missing item names its parent
        while (path.length >= 0) {
          const target = document.getElementById(idOf(path));
          if (target && element.contains(target)) {
            target.setAttribute('aria-invalid', 'true');
            const note = document.createElement('p');
            note.className = 'issue field-error';
            note.id = `${target.id}-issue-${matched}`;
            note.textContent = issue.message;
            const described = target.getAttribute('aria-describedby');
            target.setAttribute('aria-describedby', [described, note.id].filter(Boolean).join(' '));
            if (target.tagName === 'FIELDSET') target.querySelector('legend')?.after(note);
            else target.after(note);
            matched++;
            break;
          }
          if (path.length === 0) break;
          path.pop();
        }
      }
      return matched;
    },
  };
}

/** `$ref` (local), single `allOf`, and `type: [x, 'null']` resolved. */
function resolve(schema, root) {
  let s = schema;
  for (let hops = 0; s && typeof s === 'object' && typeof s.$ref === 'string' && hops < 20; hops++) {
    s = pointer(root, s.$ref);
  }
  if (s === true || s === undefined || s === null) return {};
  if (typeof s !== 'object') return undefined;
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && Object.keys(s).length === 1) return resolve(s.allOf[0], root);
  return s;
}

function pointer(root, ref) {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'));
  return parts.reduce((at, part) => (at === undefined || at === null ? undefined : at[part]), root);
}

/** `anyOf: [X, {type: 'null'}]` is X (null when left empty). */
function nullableInner(s, root) {
  const options = s.anyOf ?? s.oneOf;
  if (!Array.isArray(options)) return s;
  const real = options.map((option) => resolve(option, root)).filter((option) => option && typeOf(option) !== 'null');
  return real.length === 1 ? { ...real[0], description: s.description ?? real[0].description } : s;
}

function typeOf(s) {
  if (Array.isArray(s.type)) return s.type.find((type) => type !== 'null') ?? 'null';
  if (typeof s.type === 'string') return s.type;
  if (s.properties) return 'object';
  if (s.items) return 'array';
  return undefined;
}

function controlKind(s, root) {
  if (s.anyOf || s.oneOf) return 'json';
  if (Array.isArray(s.enum) && s.enum.length > 0) return 'enum';
  switch (typeOf(s)) {
    case 'object':
      return s.properties && Object.keys(s.properties).length > 0 ? 'object' : 'json';
    case 'array': {
      const items = resolve(s.items ?? {}, root) ?? {};
      const inner = controlKind(nullableInner(items, root), root);
      return inner === 'json' || inner === 'array' ? 'json' : 'array';
    }
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

function constraints(s) {
  const parts = [];
  if (typeOf(s) === 'array' && (s.minItems !== undefined || s.maxItems !== undefined)) {
    if (s.minItems !== undefined && s.maxItems !== undefined) parts.push(`${s.minItems} to ${s.maxItems} items.`);
    else if (s.minItems !== undefined) parts.push(`At least ${s.minItems}.`);
    else parts.push(`At most ${s.maxItems}.`);
  }
  return parts.join(' ');
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
