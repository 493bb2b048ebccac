// The playground: pick a chain, see its graph, fill its input (a form from its JSON Schema, or JSON), run it or chat
// with it, watch each step's state while the run streams, inspect a step, copy the run as curl or a CLI command.

import { apiError, apiKey, getJson, headers, readParts, setApiKey, takeBoot } from './api.js';
import { addMessage, chatInputOf, chatPath, chatRequest, createConversation } from './chat.js';
import { formatMs, formatTokens } from './format.js';
import { buildGraph } from './graph.js';
import { drawGraph } from './graph-view.js';
import { layoutGraph } from './layout.js';
import { applyPart, createRun, endRun } from './run-state.js';
import { createSchemaForm, defaultValue } from './schema-form.js';

const $ = (id) => /** @type {any} */ (document.getElementById(id));
const CLI_FILE = 'stepwise.cliFile';

/**
 * What the first view does not need (extras.js: the inspector, the JSON view, the copy commands): loaded right after
 * the page is interactive, or on first use if that comes sooner.
 */
let extrasLoading;
let extras;
function loadExtras() {
  extrasLoading ??= import('./extras.js').then((module) => {
    extras = module;
    return extras;
  });
  return extrasLoading;
}
/** Runs `use` with the extra modules: now when they are loaded, else once they are. */
function withExtras(use) {
  if (extras) use(extras);
  else loadExtras().then(use);
}

const state = {
  /** @type {any[]} */
  chains: [],
  /** @type {any} the selected chain's definition */
  chain: undefined,
  graph: undefined,
  view: undefined,
  /** @type {import('./run-state.js').Run | undefined} */
  run: undefined,
  /** @type {AbortController | undefined} */
  controller: undefined,
  form: undefined,
  value: undefined,
  mode: 'run',
  conversation: createConversation(),
  /** @type {{ route: 'stream' | 'chat', body: any, input: unknown } | undefined} */
  lastRequest: undefined,
  selected: undefined,
  selectedVersion: -1,
  /** Increases on every chain switch: answers for an older selection are dropped. */
  generation: 0,
  renderQueued: false,
};

// ---- chains ----------------------------------------------------------------------------------------------------

async function loadChains() {
  setError('');
  try {
    const body = await (takeBoot('chains') ?? getJson('v1/chains'));
    state.chains = body.chains;
  } catch (error) {
    state.chains = [];
    setError(`Could not list the chains: ${describe(error)}`);
  }
  const select = $('chain');
  select.replaceChildren(...state.chains.map((chain) => new Option(chain.name, chain.name)));
  const wanted = decodeURIComponent(location.hash.slice(1));
  const first = state.chains.find((chain) => chain.name === wanted) ?? state.chains[0];
  if (first) {
    select.value = first.name;
    await selectChain(first.name);
  } else {
    $('description').textContent = state.chains.length === 0 ? 'No chains.' : '';
    markReady();
  }
}

async function selectChain(name) {
  const generation = ++state.generation;
  discardRun();
  let chain;
  try {
    chain = await (takeBoot(name) ?? getJson(`v1/chains/${encodeURIComponent(name)}`));
  } catch (error) {
    if (generation !== state.generation) return;
    setError(`Could not load the chain ${name}: ${describe(error)}`);
    markReady();
    return;
  }
  if (generation !== state.generation) return;
  state.chain = chain;
  state.graph = buildGraph(chain);
  state.view = drawGraph($('graph'), state.graph, layoutGraph(state.graph), { onSelect: selectStep });
  state.run = createRun(state.graph);
  state.selected = undefined;
  state.lastRequest = undefined;
  state.conversation = createConversation();
  $('description').textContent = chain.description ?? '';
  history.replaceState(null, '', `#${encodeURIComponent(chain.name)}`);
  const chat = chatPath(chain) !== undefined;
  $('mode').hidden = !chat;
  setMode('run');
  state.value = chain.inputSchema ? defaultValue(chain.inputSchema) : {};
  buildForm();
  clearOutputs();
  renderConversation();
  showInspectorHint();
  renderNow();
  markReady();
}

// ---- input -----------------------------------------------------------------------------------------------------

function buildForm() {
  const schema = state.chain?.inputSchema;
  const exclude = state.mode === 'chat' ? ['question', 'history'] : [];
  $('run-form').hidden = false;
  $('chat-extra-title').hidden = state.mode !== 'chat';
  if (!schema) {
    $('fields').replaceChildren(note('This chain has no input schema: write its input as JSON.'));
    state.form = undefined;
    setEditor('json');
  } else {
    state.form = createSchemaForm({
      schema,
      value: state.value,
      exclude,
      onChange(value) {
        state.value = value;
        syncJson();
      },
    });
    $('fields').replaceChildren(state.form.element);
    const hasExtra = Object.keys(schema.properties ?? {}).some((key) => !exclude.includes(key));
    $('chat-extra-title').hidden = !hasExtra;
    $('run-form').hidden = state.mode === 'chat' && !hasExtra;
  }
  syncJson();
}

function syncJson() {
  $('input-json').value = JSON.stringify(state.value ?? null, null, 2);
  $('json-error').textContent = '';
  $('input-json').removeAttribute('aria-invalid');
}

function setEditor(which) {
  const json = which === 'json' || !state.chain?.inputSchema;
  $('view-form').setAttribute('aria-pressed', String(!json));
  $('view-json').setAttribute('aria-pressed', String(json));
  $('view-form').disabled = !state.chain?.inputSchema;
  $('fields').hidden = json;
  $('json-editor').hidden = !json;
  if (!json && state.form) state.form.setValue(state.value);
}

function onJsonInput() {
  const text = $('input-json').value;
  try {
    state.value = JSON.parse(text === '' ? 'null' : text);
    $('json-error').textContent = '';
    $('input-json').removeAttribute('aria-invalid');
  } catch (error) {
    $('json-error').textContent = `Not valid JSON: ${error.message}`;
    $('input-json').setAttribute('aria-invalid', 'true');
  }
}

function setMode(mode) {
  state.mode = mode;
  const chat = mode === 'chat';
  $('mode-run').setAttribute('aria-pressed', String(!chat));
  $('mode-chat').setAttribute('aria-pressed', String(chat));
  $('chat').hidden = !chat;
  $('answer').hidden = chat;
  for (const element of document.querySelectorAll('.run-actions, .editor-toggle')) element.hidden = chat;
  if (chat) setEditor('form');
}

// ---- runs ------------------------------------------------------------------------------------------------------

async function runChain(event) {
  event.preventDefault();
  if (!state.chain) return;
  if ($('input-json').getAttribute('aria-invalid') === 'true') {
    setError('The input is not valid JSON.');
    return;
  }
  await start('stream', { input: state.value }, state.value);
}

async function sendChat(event) {
  event.preventDefault();
  const text = $('chat-message').value.trim();
  if (!state.chain || text === '' || state.controller) return;
  $('chat-message').value = '';
  addMessage(state.conversation, 'user', text);
  const extra = { ...(isObject(state.value) ? state.value : {}) };
  delete extra.question;
  delete extra.history;
  const body = chatRequest(state.conversation, extra);
  const question = state.conversation.messages.at(-1);
  const reply = addMessage(state.conversation, 'assistant', '');
  renderConversation();
  await start('chat', body, chatInputOf(body), reply);
  // a turn without a whole answer leaves the history: the next request still alternates user and assistant
  if (reply.state !== 'done' && reply.state !== 'streaming') question.state = reply.state;
  renderConversation();
}

/**
 * Runs the chain over `/stream` or `/chat` and folds the stream into a new run.
 *
 * @param {'stream' | 'chat'} route
 * @param {any} body
 * @param {unknown} input the chain input (for the CLI command)
 * @param {import('./chat.js').ChatMessage} [reply] the assistant message that receives the answer
 */
async function start(route, body, input, reply) {
  discardRun();
  const generation = state.generation;
  const chain = state.chain;
  const run = createRun(state.graph);
  run.status = 'running';
  state.run = run;
  state.lastRequest = { route, body, input };
  const controller = new AbortController();
  state.controller = controller;
  clearOutputs();
  state.form?.showIssues([]);
  setBusy(true);
  renderNow();
  const started = performance.now();
  try {
    const response = await fetch(`v1/chains/${encodeURIComponent(chain.name)}/${route}`, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) {
      const error = await apiError(response);
      run.status = 'failed';
      run.error = { name: error.name, message: error.message, requestId: error.requestId };
      run.rejected = true;
      showRejected(error);
      if (reply) reply.state = 'failed';
      return;
    }
    const finished = await readParts(response.body, (part) => {
      if (generation !== state.generation || run !== state.run) return;
      applyPart(run, part);
      if (part.type === 'text-delta') {
        appendAnswer(part.delta);
        if (reply) reply.text += part.delta;
      }
      queueRender();
    });
    if (run.status === 'running') {
      run.error = { name: 'StreamInterruptedError', message: 'The stream ended before the run did.' };
      endRun(run, 'failed');
    }
    if (reply) reply.state = run.status === 'done' ? 'done' : 'failed';
    if (!finished && run.status === 'done') run.note = 'The stream ended without [DONE].';
  } catch (error) {
    if (controller.signal.aborted) {
      if (reply && run === state.run) reply.state = 'stopped';
    } else {
      run.error = { name: error.name ?? 'Error', message: error.message };
      endRun(run, 'failed');
      if (reply) reply.state = 'failed';
    }
  } finally {
    if (state.controller === controller) {
      state.controller = undefined;
      setBusy(false);
    }
    if (run === state.run) {
      run.clientMs = performance.now() - started;
      renderNow();
    }
  }
}

function stop() {
  const run = state.run;
  if (!state.controller || !run) return;
  state.controller.abort();
  state.controller = undefined;
  endRun(run, 'stopped');
  setBusy(false);
  renderNow();
}

/** Drops the current run, aborting it if it still streams (a new run, or another chain). */
function discardRun() {
  if (state.controller) {
    state.controller.abort();
    state.controller = undefined;
    setBusy(false);
  }
  if (state.graph) state.run = createRun(state.graph);
}

function setBusy(busy) {
  $('run').disabled = busy;
  $('send').disabled = busy;
  $('stop').disabled = !busy;
  // screen readers read the answer once it is complete, not every token
  $('answer').setAttribute('aria-busy', String(busy));
  $('conversation').setAttribute('aria-busy', String(busy));
}

// ---- rendering -------------------------------------------------------------------------------------------------

function queueRender() {
  if (state.renderQueued) return;
  state.renderQueued = true;
  requestAnimationFrame(() => {
    state.renderQueued = false;
    renderNow();
  });
}

function renderNow() {
  const run = state.run;
  if (!run || !state.view) return;
  state.view.update(run);
  renderStatus(run);
  if (state.selected !== undefined) {
    const record = run.steps.get(state.selected);
    if (record && record.version !== state.selectedVersion) {
      state.selectedVersion = record.version;
      showStep(run, state.selected);
    }
  }
  renderResults(run);
  if (state.mode === 'chat') renderConversation();
}

function renderStatus(run) {
  const status = $('run-status');
  status.dataset.status = run.status;
  const parts = [];
  switch (run.status) {
    case 'idle':
      parts.push('Not run yet.');
      break;
    case 'running':
      parts.push(run.text ? 'Streaming the answer…' : 'Running… (steps report when they complete)');
      break;
    case 'done':
      parts.push('Done');
      break;
    case 'failed':
      parts.push(run.error ? `Failed: ${run.error.name}` : 'Failed');
      break;
    case 'stopped':
      parts.push('Stopped');
      break;
  }
  if (typeof run.ms === 'number') parts.push(`in ${formatMs(run.ms)}`);
  if (run.usage) parts.push(`· ${formatTokens(run.usage)}`);
  if (run.runId) parts.push(`· run ${run.runId.slice(0, 8)}`);
  status.textContent = parts.join(' ');
  status.title = run.runId ? `run id ${run.runId}` : '';
}

function renderResults(run) {
  if (run.error && !run.rejected) {
    const error = run.error;
    const lines = [`${error.name}${error.error ? ` (${error.error})` : ''}: ${error.message}`];
    if (error.stepId) lines.push(`Step: ${error.stepId}`);
    if (error.cause) lines.push(`Cause: ${error.cause}`);
    if (error.requestId) lines.push(`Request id: ${error.requestId}`);
    if ($('error').dataset.text !== lines.join('\n')) setError(lines.join('\n'));
  }
  const sourcesBox = $('sources-box');
  if (run.sources.length !== Number(sourcesBox.dataset.count ?? 0)) {
    sourcesBox.dataset.count = String(run.sources.length);
    sourcesBox.hidden = run.sources.length === 0;
    const sources = [...run.sources];
    withExtras(({ sourceList }) => $('sources').replaceChildren(sourceList(sources)));
  }
  if (run.hasOutput && $('output-box').hidden) {
    $('output-box').hidden = false;
    withExtras(({ jsonView }) => $('output').replaceChildren(jsonView(run.output, { open: 2, label: 'Chain output' })));
  }
  $('usage').textContent = run.usage ? `${formatTokens(run.usage)} in this run` : '';
}

function appendAnswer(delta) {
  $('answer').append(document.createTextNode(delta));
}

function clearOutputs() {
  $('answer').replaceChildren();
  setError('');
  $('sources').replaceChildren();
  $('sources-box').hidden = true;
  $('sources-box').dataset.count = '0';
  $('output-box').hidden = true;
  $('output').replaceChildren();
  $('usage').textContent = '';
  $('command').hidden = true;
  $('copy-status').textContent = '';
  state.selectedVersion = -1;
}

function showRejected(error) {
  const lines = [`${error.status} ${error.name}: ${error.message}`];
  for (const issue of error.issues) {
    const path = Array.isArray(issue.path) && issue.path.length > 0 ? issue.path.join('.') : '(input)';
    lines.push(`• ${path}: ${issue.message}`);
  }
  setError(lines.join('\n'));
  if (state.form && error.issues.length > 0) {
    if (state.mode === 'run') setEditor('form');
    state.form.showIssues(error.issues);
  }
  renderNow();
}

function setError(text) {
  $('error').textContent = text;
  $('error').dataset.text = text;
}

function renderConversation() {
  const list = $('conversation');
  const items = state.conversation.messages.map((message) => {
    const item = document.createElement('li');
    item.className = `message ${message.role}`;
    item.dataset.state = message.state;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = message.role === 'user' ? 'You' : 'Assistant';
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = message.text || (message.state === 'streaming' ? '…' : '');
    item.append(who, text);
    if (message.state === 'failed' || message.state === 'stopped') {
      const flag = document.createElement('span');
      flag.className = 'flag';
      const what = message.role === 'user' ? 'not answered' : message.state;
      flag.textContent = `${what}: not kept in the history`;
      item.append(flag);
    }
    return item;
  });
  list.replaceChildren(...items);
}

// ---- inspector -------------------------------------------------------------------------------------------------

function selectStep(id) {
  state.selected = id;
  state.view.select(id);
  const record = state.run.steps.get(id);
  state.selectedVersion = record.version;
  showStep(state.run, id);
}

function showStep(run, id) {
  withExtras(({ renderInspector }) => {
    // the step and the run still shown
    if (state.selected === id && state.run === run) renderInspector($('inspector'), run, id);
  });
}

function showInspectorHint() {
  const title = document.createElement('h2');
  title.id = 'inspector-title';
  title.textContent = 'Step';
  $('inspector').replaceChildren(
    title,
    note('Pick a step in the graph to see its output, time, tokens, retries and error.'),
  );
}

// ---- copy ------------------------------------------------------------------------------------------------------

function currentRequest() {
  if (state.lastRequest) return state.lastRequest;
  if (state.mode === 'chat') {
    const body = chatRequest(state.conversation, undefined);
    return { route: 'chat', body, input: chatInputOf(body) };
  }
  return { route: 'stream', body: { input: state.value }, input: state.value };
}

async function copy(kind) {
  if (!state.chain) return;
  const request = currentRequest();
  const { cliCommand, curlCommand } = await loadExtras();
  const text =
    kind === 'curl'
      ? curlCommand({
          pageUrl: location.href,
          chain: state.chain.name,
          route: request.route,
          body: request.body,
          apiKey: apiKey() !== '',
        })
      : cliCommand({ file: $('cli-file').value.trim() || 'chains.ts', chain: state.chain.name, input: request.input });
  const shown = $('command');
  shown.textContent = text;
  shown.hidden = false;
  shown.dataset.kind = kind;
  try {
    await navigator.clipboard.writeText(text);
    $('copy-status').textContent = kind === 'curl' ? 'curl command copied.' : 'CLI command copied.';
  } catch {
    $('copy-status').textContent = 'Copy it from below.';
  }
}

// ---- helpers ---------------------------------------------------------------------------------------------------

function note(text) {
  const element = document.createElement('p');
  element.className = 'muted';
  element.textContent = text;
  return element;
}

function describe(error) {
  return error?.status ? `${error.status} ${error.name}: ${error.message}` : (error?.message ?? String(error));
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function markReady() {
  if (document.documentElement.dataset.ready === 'true') return;
  document.documentElement.dataset.ready = 'true';
  performance.mark('stepwise:interactive');
  setTimeout(loadExtras, 0);
}

// ---- wiring ----------------------------------------------------------------------------------------------------

$('api-key').value = apiKey();
$('api-key').addEventListener('change', () => {
  setApiKey($('api-key').value);
  loadChains();
});
try {
  $('cli-file').value = localStorage.getItem(CLI_FILE) ?? '';
} catch {
  // storage unavailable
}
$('cli-file').addEventListener('change', () => {
  try {
    localStorage.setItem(CLI_FILE, $('cli-file').value.trim());
  } catch {
    // storage unavailable
  }
});
$('settings').addEventListener('submit', (event) => event.preventDefault());
$('chain').addEventListener('change', () => selectChain($('chain').value));
$('run-form').addEventListener('submit', runChain);
$('chat-form').addEventListener('submit', sendChat);
$('chat-message').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('chat-form').requestSubmit();
  }
});
$('chat-new').addEventListener('click', () => {
  discardRun();
  state.conversation = createConversation();
  state.lastRequest = undefined;
  clearOutputs();
  renderConversation();
  renderNow();
  $('chat-message').focus();
});
$('stop').addEventListener('click', stop);
$('view-form').addEventListener('click', () => setEditor('form'));
$('view-json').addEventListener('click', () => setEditor('json'));
$('input-json').addEventListener('input', onJsonInput);
$('mode-run').addEventListener('click', () => {
  setMode('run');
  buildForm();
});
$('mode-chat').addEventListener('click', () => {
  setMode('chat');
  buildForm();
  renderConversation();
  $('chat-message').focus();
});
$('copy-curl').addEventListener('click', () => copy('curl'));
$('copy-cli').addEventListener('click', () => copy('cli'));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state.controller) stop();
});
loadChains();
