/**
 * The playground page served on `GET /`: one self-contained HTML document (inline CSS and JS, no build step)
 * that lists the chains, builds an input form from each chain's JSON Schema (with a JSON editor kept in sync),
 * runs the chain over the SSE stream and shows step statuses, the streamed answer, sources, usage and errors.
 * @internal
 */
export function playgroundHtml(): string {
  return PAGE;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #667; --line: #d8dce3; --bg: #fff; --panel: #f6f7f9;
  --ok: #1a7f37; --run: #9a6700; --bad: #cf222e; --accent: #3b5bdb; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8ee; --muted: #9aa; --line: #343a46; --bg: #15181e; --panel: #1d2129; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 12px 20px; border-bottom: 1px solid var(--line); display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 16px; margin: 0; }
main { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(320px, 1.4fr); gap: 20px; padding: 20px; }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px; min-width: 0; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 8px; }
label { display: block; font-weight: 600; margin: 10px 0 4px; }
input, select, textarea, button { font: inherit; color: inherit; }
input[type=text], input[type=number], input[type=password], select, textarea { width: 100%; padding: 6px 8px;
  border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
textarea { font-family: ui-monospace, monospace; font-size: 12px; min-height: 90px; resize: vertical; }
button { padding: 7px 16px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button[disabled] { opacity: .5; cursor: default; }
button.secondary { background: transparent; color: var(--accent); }
.row { display: flex; gap: 8px; margin-top: 12px; align-items: center; }
.muted { color: var(--muted); }
#steps { list-style: none; margin: 0; padding: 0; }
#steps li { display: flex; gap: 10px; padding: 4px 0; border-bottom: 1px dashed var(--line); }
#steps li:last-child { border-bottom: 0; }
.status { font-weight: 600; min-width: 70px; }
[data-status=running] .status, [data-status=retrying] .status { color: var(--run); }
[data-status=done] .status { color: var(--ok); }
[data-status=failed] .status { color: var(--bad); }
#answer { white-space: pre-wrap; word-wrap: break-word; min-height: 3em; margin: 0; font: inherit; }
#error { color: var(--bad); white-space: pre-wrap; }
#output, #usage { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; margin: 0; }
`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const state = { chains: [], controller: null };
const keyInput = $('api-key');
keyInput.value = localStorage.getItem('stepwise.apiKey') || '';
keyInput.addEventListener('change', () => { localStorage.setItem('stepwise.apiKey', keyInput.value); loadChains(); });

function headers(extra) {
  const h = Object.assign({}, extra);
  if (keyInput.value) h.authorization = 'Bearer ' + keyInput.value;
  return h;
}

function sample(schema) {
  if (!schema || typeof schema !== 'object') return null;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': return '';
    case 'number': case 'integer': return 0;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': {
      const out = {};
      const required = new Set(schema.required || []);
      for (const [key, value] of Object.entries(schema.properties || {})) if (required.has(key)) out[key] = sample(value);
      return out;
    }
    default: return null;
  }
}

async function loadChains() {
  setError('');
  const select = $('chain');
  try {
    const response = await fetch('v1/chains', { headers: headers() });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.name + ': ' + body.error.message : response.statusText);
    state.chains = body.chains;
  } catch (error) {
    state.chains = [];
    setError('Could not list the chains. ' + error.message);
  }
  select.replaceChildren(...state.chains.map((chain) => {
    const option = document.createElement('option');
    option.value = chain.name;
    option.textContent = chain.name;
    return option;
  }));
  selectChain();
}

function currentChain() { return state.chains.find((chain) => chain.name === $('chain').value); }

function selectChain() {
  const chain = currentChain();
  $('description').textContent = chain ? chain.description || '' : 'No chain.';
  const fields = $('fields');
  fields.replaceChildren();
  const schema = chain && chain.inputSchema;
  const input = schema ? sample(schema) : {};
  const props = schema && schema.type === 'object' ? schema.properties || {} : {};
  for (const [key, prop] of Object.entries(props)) {
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
    if (!['string', 'number', 'integer', 'boolean'].includes(type)) continue;
    const label = document.createElement('label');
    label.textContent = key + ((schema.required || []).includes(key) ? '' : ' (optional)');
    label.htmlFor = 'field-' + key;
    let control;
    if (type === 'boolean') {
      control = document.createElement('input');
      control.type = 'checkbox';
    } else if (type === 'string' && !prop.enum) {
      control = document.createElement('textarea');
      control.rows = 2;
      control.style.minHeight = '0';
      control.style.fontFamily = 'inherit';
      control.style.fontSize = '14px';
    } else if (prop.enum) {
      control = document.createElement('select');
      for (const value of prop.enum) {
        const option = document.createElement('option');
        option.value = option.textContent = String(value);
        control.append(option);
      }
    } else {
      control = document.createElement('input');
      control.type = 'number';
    }
    control.id = 'field-' + key;
    control.dataset.key = key;
    control.dataset.type = type;
    if (prop.description) control.title = prop.description;
    control.addEventListener('input', fieldsToJson);
    control.addEventListener('change', fieldsToJson);
    fields.append(label, control);
  }
  $('input-json').value = JSON.stringify(input, null, 2);
  jsonToFields();
}

function readJson() {
  try { return JSON.parse($('input-json').value || 'null'); } catch { return undefined; }
}

function fieldsToJson() {
  let input = readJson();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) input = {};
  for (const control of $('fields').querySelectorAll('[data-key]')) {
    const key = control.dataset.key;
    const type = control.dataset.type;
    if (type === 'boolean') input[key] = control.checked;
    else if (type === 'number' || type === 'integer') {
      if (control.value === '') delete input[key]; else input[key] = Number(control.value);
    } else input[key] = control.value;
  }
  $('input-json').value = JSON.stringify(input, null, 2);
}

function jsonToFields() {
  const input = readJson();
  $('json-error').textContent = input === undefined ? 'Not valid JSON.' : '';
  if (typeof input !== 'object' || input === null) return;
  for (const control of $('fields').querySelectorAll('[data-key]')) {
    const value = input[control.dataset.key];
    if (control.dataset.type === 'boolean') control.checked = value === true;
    else control.value = value === undefined || value === null ? '' : String(value);
  }
}

function setError(text) { $('error').textContent = text; }

function formatMs(ms) { return (ms < 10 ? ms.toFixed(1) : String(Math.round(ms))) + ' ms'; }

function stepRow(id) {
  let row = document.querySelector('#steps li[data-step-id="' + CSS.escape(id) + '"]');
  if (!row) {
    row = document.createElement('li');
    row.dataset.stepId = id;
    for (const name of ['status', 'name', 'type', 'ms']) {
      const span = document.createElement('span');
      span.className = name;
      row.append(span);
    }
    row.querySelector('.name').textContent = id;
    $('steps').append(row);
  }
  return row;
}

function onPart(part) {
  switch (part.type) {
    case 'start':
      $('run-id').textContent = part.messageId ? 'run ' + part.messageId : '';
      break;
    case 'data-step': {
      const row = stepRow(part.id);
      const data = part.data || {};
      row.dataset.status = data.status;
      row.querySelector('.status').textContent = data.status + (data.attempt ? ' #' + data.attempt : '');
      row.querySelector('.type').textContent = data.stepType || '';
      row.querySelector('.ms').textContent = typeof data.ms === 'number' ? formatMs(data.ms) : '';
      if (data.error) row.title = data.error.name + ': ' + data.error.message;
      break;
    }
    case 'text-delta':
      $('answer').append(document.createTextNode(part.delta));
      break;
    case 'source-document': {
      const item = document.createElement('li');
      const score = part.providerMetadata && part.providerMetadata.stepwise ? ' (' + part.providerMetadata.stepwise.score + ')' : '';
      item.textContent = part.title + score;
      $('sources').append(item);
      break;
    }
    case 'data-usage':
      $('usage').textContent = part.data.inputTokens + ' in, ' + part.data.outputTokens + ' out tokens';
      break;
    case 'finish':
      if (part.messageMetadata && 'output' in part.messageMetadata) {
        $('output').textContent = JSON.stringify(part.messageMetadata.output, null, 2);
      }
      $('state').textContent = 'done' + (part.messageMetadata && typeof part.messageMetadata.ms === 'number' ? ' in ' + formatMs(part.messageMetadata.ms) : '');
      break;
    case 'error':
      setError((part.errorName ? part.errorName + ': ' : '') + part.errorText);
      $('state').textContent = 'failed';
      break;
  }
}

async function run(event) {
  event.preventDefault();
  const chain = currentChain();
  if (!chain) return;
  const input = readJson();
  if (input === undefined) { setError('The input is not valid JSON.'); return; }
  for (const id of ['steps', 'sources']) $(id).replaceChildren();
  for (const id of ['answer', 'usage', 'output', 'run-id']) $(id).textContent = '';
  setError('');
  $('state').textContent = 'running';
  $('run').disabled = true;
  $('stop').disabled = false;
  state.controller = new AbortController();
  try {
    const response = await fetch('v1/chains/' + encodeURIComponent(chain.name) + '/stream', {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
      body: JSON.stringify({ input }),
      signal: state.controller.signal,
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      const error = body.error || { name: 'HttpError', message: response.statusText };
      let text = response.status + ' ' + error.name + ': ' + error.message;
      if (Array.isArray(error.issues)) text += '\\n' + error.issues.map((issue) => '• ' + (issue.path.join('.') || '(input)') + ': ' + issue.message).join('\\n');
      setError(text);
      $('state').textContent = 'failed';
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (true) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\\n\\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).replace(/^ /, '')).join('\\n');
        if (data && data !== '[DONE]') onPart(JSON.parse(data));
      }
      if (done) break;
    }
  } catch (error) {
    if (error.name === 'AbortError') $('state').textContent = 'stopped';
    else { setError(error.message); $('state').textContent = 'failed'; }
  } finally {
    $('run').disabled = false;
    $('stop').disabled = true;
    state.controller = null;
  }
}

$('chain').addEventListener('change', selectChain);
$('input-json').addEventListener('input', jsonToFields);
$('form').addEventListener('submit', run);
$('stop').addEventListener('click', () => state.controller && state.controller.abort());
loadChains();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stepwise playground</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>stepwise playground</h1>
  <label class="muted" for="api-key" style="margin:0;font-weight:400">API key</label>
  <input id="api-key" type="password" autocomplete="off" placeholder="only if the server asks for one" style="max-width:260px">
</header>
<main>
  <section>
    <form id="form">
      <h2>Chain</h2>
      <select id="chain" aria-label="Chain"></select>
      <p id="description" class="muted"></p>
      <h2>Input</h2>
      <div id="fields"></div>
      <label for="input-json">JSON</label>
      <textarea id="input-json" spellcheck="false"></textarea>
      <div id="json-error" class="muted"></div>
      <div class="row">
        <button id="run" type="submit">Run</button>
        <button id="stop" type="button" class="secondary" disabled>Stop</button>
        <span id="state" class="muted"></span>
      </div>
    </form>
  </section>
  <section>
    <h2>Steps <span id="run-id" class="muted" style="text-transform:none;letter-spacing:0"></span></h2>
    <ul id="steps"></ul>
    <h2 style="margin-top:16px">Answer</h2>
    <pre id="answer" aria-live="polite"></pre>
    <div id="error" role="alert"></div>
    <h2 style="margin-top:16px">Sources</h2>
    <ul id="sources"></ul>
    <h2 style="margin-top:16px">Output</h2>
    <pre id="output"></pre>
    <pre id="usage" class="muted"></pre>
  </section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
