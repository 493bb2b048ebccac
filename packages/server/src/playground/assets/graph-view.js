// The graph on the page: SVG for the edges, HTML buttons for the steps (focusable, clickable, with their state, time
// and tokens), lane labels that show the path a choose or split took, map bodies framed as a stack of cards.

import { formatMs, modelName } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Draws `layout` into `container` (replacing what was there).
 *
 * @param {HTMLElement} container
 * @param {import('./graph.js').Graph} graph
 * @param {import('./layout.js').Layout} layout
 * @param {{ onSelect: (id: string) => void }} handlers
 */
export function drawGraph(container, graph, layout, handlers) {
  const canvas = document.createElement('div');
  canvas.className = 'graph';
  canvas.style.width = `${layout.width}px`;
  canvas.style.height = `${layout.height}px`;

  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'edges');
  svg.setAttribute('width', String(layout.width));
  svg.setAttribute('height', String(layout.height));
  svg.setAttribute('aria-hidden', 'true');
  const defs = document.createElementNS(SVG, 'defs');
  const marker = document.createElementNS(SVG, 'marker');
  for (const [name, value] of Object.entries({
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: '10',
    refY: '5',
    markerWidth: '8',
    markerHeight: '8',
    markerUnits: 'userSpaceOnUse',
    orient: 'auto-start-reverse',
  })) {
    marker.setAttribute(name, value);
  }
  const tip = document.createElementNS(SVG, 'path');
  tip.setAttribute('d', 'M0,0 L10,5 L0,10 z');
  tip.setAttribute('class', 'arrow');
  marker.append(tip);
  defs.append(marker);
  svg.append(defs);

  for (const frame of layout.frames) {
    const element = document.createElement('div');
    element.className = 'frame';
    element.dataset.frame = frame.id;
    place(element, frame);
    const caption = document.createElement('span');
    caption.className = 'frame-caption';
    const step = graph.nodes.get(frame.id).step;
    caption.textContent = `each item of ${step.items}`;
    caption.dataset.base = caption.textContent;
    element.append(caption);
    canvas.append(element);
  }
  canvas.append(svg);

  for (const edge of layout.edges) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', pathOf(edge.points));
    path.setAttribute('class', `edge ${edge.kind}`);
    if (edge.lane) path.dataset.lane = edge.lane;
    if (edge.arrow) path.setAttribute('marker-end', 'url(#arrow)');
    svg.append(path);
  }
  for (const join of layout.joins) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', String(join.x));
    dot.setAttribute('cy', String(join.y));
    dot.setAttribute('r', '3.5');
    dot.setAttribute('class', 'join');
    svg.append(dot);
  }

  for (const label of layout.labels) {
    const element = document.createElement('div');
    element.className = 'lane-label';
    element.dataset.lane = label.lane;
    element.title = label.title;
    element.style.left = `${label.x}px`;
    element.style.top = `${label.y}px`;
    element.style.width = `${label.w}px`;
    const text = document.createElement('span');
    text.textContent = label.text;
    element.append(text);
    canvas.append(element);
  }

  const buttons = [];
  const placed = [...layout.nodes].sort((a, b) => orderOf(graph, a.id) - orderOf(graph, b.id));
  for (const box of placed) {
    if (box.kind === 'terminal') {
      const element = document.createElement('div');
      element.className = 'terminal';
      element.dataset.terminal = box.id.slice(1);
      element.textContent = box.id.slice(1);
      place(element, box);
      canvas.append(element);
      continue;
    }
    const node = graph.nodes.get(box.id);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'node';
    button.dataset.node = node.id;
    button.dataset.type = node.type;
    button.dataset.state = 'pending';
    if (node.type === 'map') button.classList.add('stacked');
    place(button, box);
    const name = document.createElement('span');
    name.className = 'node-line node-id';
    name.textContent = node.id;
    const sub = document.createElement('span');
    sub.className = 'node-line node-sub';
    const kind = document.createElement('span');
    kind.className = 'node-type';
    kind.textContent = node.type;
    const about = subtitle(node.step);
    sub.append(kind, about ? ` · ${about}` : '');
    const meta = document.createElement('span');
    meta.className = 'node-line node-meta';
    const state = document.createElement('span');
    state.className = 'node-state';
    state.textContent = 'pending';
    const facts = document.createElement('span');
    facts.className = 'node-facts';
    meta.append(state, facts);
    button.append(name, sub, meta);
    button.addEventListener('click', () => handlers.onSelect(node.id));
    button.addEventListener('keydown', (event) => {
      const index = buttons.indexOf(button);
      const next =
        event.key === 'ArrowDown' || event.key === 'ArrowRight'
          ? buttons[index + 1]
          : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
            ? buttons[index - 1]
            : event.key === 'Home'
              ? buttons[0]
              : event.key === 'End'
                ? buttons.at(-1)
                : undefined;
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });
    buttons.push(button);
    canvas.append(button);
  }

  container.replaceChildren(canvas);
  const seen = new Map();

  return {
    /**
     * Shows a run's states on the graph: each node's state, time and tokens, the lanes taken.
     *
     * @param {import('./run-state.js').Run} run
     */
    update(run) {
      for (const button of buttons) {
        const record = run.steps.get(button.dataset.node);
        if (seen.get(record.id) === record.version && button.dataset.state === record.state) continue;
        seen.set(record.id, record.version);
        button.dataset.state = record.state;
        button.querySelector('.node-state').textContent = record.state;
        button.querySelector('.node-facts').textContent = factsOf(record);
        button.title = record.note ?? '';
      }
      for (const element of canvas.querySelectorAll('[data-lane]')) {
        element.dataset.laneState = run.lanes.get(element.dataset.lane) ?? 'pending';
      }
      for (const frame of canvas.querySelectorAll('.frame')) {
        const record = run.steps.get(frame.dataset.frame);
        const caption = frame.querySelector('.frame-caption');
        const iterations = record.iterations ?? [];
        const done = iterations.filter((iteration) => iteration.state === 'done').length;
        caption.textContent = iterations.length
          ? `${caption.dataset.base} · ${done} of ${iterations.length} done`
          : caption.dataset.base;
      }
    },
    /** @param {string | undefined} id */
    select(id) {
      for (const button of buttons) {
        if (button.dataset.node === id) button.setAttribute('aria-current', 'true');
        else button.removeAttribute('aria-current');
      }
    },
    focus(id) {
      buttons.find((button) => button.dataset.node === id)?.focus();
    },
  };
}

function orderOf(graph, id) {
  const node = graph.nodes.get(id);
  if (node) return node.order;
  return id === '@input' ? -1 : Number.MAX_SAFE_INTEGER;
}

function place(element, box) {
  element.style.left = `${box.x}px`;
  element.style.top = `${box.y}px`;
  element.style.width = `${box.w}px`;
  element.style.height = `${box.h}px`;
}

function pathOf(points) {
  return points.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${round(x)},${round(y)}`).join(' ');
}

function round(value) {
  return Math.round(value * 10) / 10;
}

/**
 * What a step does, in a few words: `claude-3-haiku · boolean`, `STEPWISEKB · top 3`, `orderApi`.
 *
 * @param {any} step
 * @returns {string}
 */
export function subtitle(step) {
  switch (step.type) {
    case 'invoke':
      return [modelName(step.model), step.output && step.output !== 'text' ? step.output : undefined]
        .filter(Boolean)
        .join(' · ');
    case 'respond':
      return `${modelName(step.model)} · streamed`;
    case 'retrieve':
      return `${step.knowledgeBaseId} · top ${step.topK ?? 5}`;
    case 'task':
      return `handler ${step.handler}`;
    case 'transform':
      return `sets ${Object.keys(step.set).join(', ')}`;
    case 'parallel': {
      const count = Object.keys(step.branches).length;
      return `${count} ${count === 1 ? 'branch' : 'branches'} at once`;
    }
    case 'choose':
      return `${step.cases.length} ${step.cases.length === 1 ? 'case' : 'cases'}${step.otherwise ? ' + otherwise' : ''}`;
    case 'split': {
      const count = Object.keys(step.variants).length;
      return `${count} variants by weight`;
    }
    case 'map':
      return step.maxConcurrency ? `${step.maxConcurrency} at once` : 'all at once';
    default:
      return '';
  }
}

function factsOf(record) {
  const facts = [];
  if (typeof record.ms === 'number') facts.push(formatMs(record.ms));
  if (record.usage) facts.push(`${(record.usage.inputTokens ?? 0) + (record.usage.outputTokens ?? 0)} tok`);
  if (record.iterations?.length) facts.push(`${record.iterations.length} items`);
  if (record.retries.length > 0)
    facts.push(`${record.retries.length} ${record.retries.length === 1 ? 'retry' : 'retries'}`);
  if (record.sources.length > 0) facts.push(`${record.sources.length} ${record.sources.length === 1 ? 'doc' : 'docs'}`);
  return facts.join(' · ');
}
