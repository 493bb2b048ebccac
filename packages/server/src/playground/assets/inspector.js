// The step inspector: what one step did in the run (state, time, tokens, retries, error, output, sources, each
// branch's result, each map iteration, the path a choose or split took) and its definition.

import { formatMs, formatTokens } from './format.js';
import { jsonView } from './json-view.js';

/**
 * Fills `container` with the step `id` of `run`.
 *
 * @param {HTMLElement} container
 * @param {import('./run-state.js').Run} run
 * @param {string} id
 */
export function renderInspector(container, run, id) {
  const graph = run.graph;
  const node = graph.nodes.get(id);
  const record = run.steps.get(id);
  const parts = [];

  const title = document.createElement('h2');
  title.id = 'inspector-title';
  title.textContent = id;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.state = record.state;
  badge.textContent = record.state;
  title.append(' ', badge);
  parts.push(title);

  const where = [];
  for (let at = node; at.parentId !== undefined; at = graph.nodes.get(at.parentId)) {
    const lane = at.laneId === undefined ? undefined : graph.lanes.get(at.laneId);
    where.unshift(
      lane ? `${at.parentId} › ${lane.kind === 'fallback' ? 'catch' : lane.label}` : `${at.parentId} › each item`,
    );
  }
  parts.push(paragraph(`${node.type}${where.length ? ` · in ${where.join(' › ')}` : ''}`, 'muted'));
  if (record.note) parts.push(paragraph(record.note, 'note'));

  const facts = [];
  if (typeof record.ms === 'number') facts.push(['Time', formatMs(record.ms)]);
  if (record.usage) facts.push(['Tokens', formatTokens(record.usage)]);
  if (record.retries.length > 0 || node.step.policy?.retry) {
    facts.push(['Attempts', String(1 + record.retries.filter((retry) => retry.index === undefined).length)]);
  }
  const step = node.step;
  if (step.model) facts.push(['Model', step.model]);
  if (step.knowledgeBaseId) facts.push(['Knowledge base', step.knowledgeBaseId]);
  if (step.handler) facts.push(['Handler', step.handler]);
  if (step.type === 'map') facts.push(['Items', step.items], ['At once', String(step.maxConcurrency || 'no limit')]);
  if (step.policy?.timeoutSeconds) facts.push(['Timeout', `${step.policy.timeoutSeconds} s`]);
  if (facts.length > 0) {
    const list = document.createElement('dl');
    list.className = 'facts';
    for (const [name, value] of facts) {
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent = value;
      list.append(term, detail);
    }
    parts.push(list);
  }

  if (record.error) {
    const box = document.createElement('div');
    box.className = 'step-error';
    box.setAttribute('role', 'note');
    const name = document.createElement('strong');
    name.textContent = record.error.error ? `${record.error.name} (${record.error.error})` : record.error.name;
    box.append(name, document.createTextNode(`: ${record.error.message}`));
    parts.push(box);
  }

  if (record.retries.length > 0) {
    const list = document.createElement('ol');
    list.className = 'retries';
    for (const retry of record.retries) {
      const item = document.createElement('li');
      const where = retry.index === undefined ? '' : ` (item ${retry.index + 1})`;
      item.textContent = `Attempt ${retry.attempt}${where} after ${retry.error?.name}: ${retry.error?.message}`;
      list.append(item);
    }
    parts.push(section('Retries', list));
  }

  const lanes = [...graph.lanes.values()].filter((lane) => lane.forkId === id);
  if (step.type === 'choose' || step.type === 'split') {
    const list = document.createElement('ul');
    list.className = 'paths';
    for (const lane of lanes.filter((entry) => entry.kind !== 'fallback')) {
      const item = document.createElement('li');
      const state = run.lanes.get(lane.id);
      item.dataset.laneState = state;
      item.textContent = `${lane.label}${state === 'taken' ? ': taken' : state === 'skipped' ? ': not taken' : ''}`;
      item.title = lane.title;
      list.append(item);
    }
    parts.push(section('Path', list));
  }
  if (step.type === 'parallel' && record.hasOutput) {
    const list = document.createElement('div');
    list.className = 'branches';
    for (const lane of lanes.filter((entry) => entry.kind === 'branch')) {
      const value = record.output?.[lane.key];
      list.append(
        section(`Branch ${lane.key}`, jsonView(value, { open: 1, label: `Result of branch ${lane.key}` }), 'h4'),
      );
    }
    parts.push(section('Branches', list));
  }
  if (step.type === 'map' && record.iterations) {
    parts.push(section(`Iterations (${record.iterations.length})`, iterationList(record.iterations)));
  }

  if (record.sources.length > 0) parts.push(section('Retrieved documents', sourceList(record.sources)));

  if (record.hasOutput) {
    parts.push(section('Output', jsonView(record.output, { open: 2, label: `Output of ${id}` })));
  } else if (record.state === 'done') {
    parts.push(paragraph('Its output is not in the stream; the enclosing step’s output holds it.', 'muted'));
  }

  const definition = document.createElement('details');
  definition.className = 'definition';
  const summary = document.createElement('summary');
  summary.textContent = 'Definition';
  definition.append(summary, jsonView(step, { open: 1, label: `Definition of ${id}` }));
  parts.push(definition);

  container.replaceChildren(...parts);
}

/**
 * The list of a map's iterations with their status; each result folds open.
 *
 * @param {{ index: number, state: string, output: unknown }[]} iterations
 */
function iterationList(iterations) {
  const list = document.createElement('ol');
  list.className = 'iterations';
  const shown = iterations.slice(0, 100);
  for (const iteration of shown) {
    const item = document.createElement('li');
    item.dataset.state = iteration?.state ?? 'pending';
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.dataset.state = iteration?.state ?? 'pending';
    badge.textContent = iteration?.state ?? 'pending';
    summary.append(`Item ${(iteration?.index ?? 0) + 1} `, badge, ` ${preview(iteration?.output)}`);
    details.append(summary);
    details.addEventListener(
      'toggle',
      () => details.append(jsonView(iteration?.output, { open: 1, label: `Result of item ${iteration.index + 1}` })),
      { once: true },
    );
    item.append(details);
    list.append(item);
  }
  if (iterations.length > shown.length) {
    const more = document.createElement('li');
    more.textContent = `… and ${iterations.length - shown.length} more (see the output)`;
    list.append(more);
  }
  return list;
}

/**
 * Retrieved documents: title (the source, else the start of the text), source and score.
 *
 * @param {{ title: string, source?: string, score?: number }[]} sources
 */
export function sourceList(sources) {
  const list = document.createElement('ol');
  list.className = 'sources';
  for (const source of sources) {
    const item = document.createElement('li');
    const title = document.createElement('span');
    title.className = 'source-title';
    title.textContent = source.title;
    item.append(title);
    if (typeof source.score === 'number') {
      const score = document.createElement('span');
      score.className = 'source-score';
      score.textContent = ` score ${source.score.toFixed(3)}`;
      item.append(score);
    }
    list.append(item);
  }
  return list;
}

function preview(value) {
  if (value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function section(heading, content, level = 'h3') {
  const element = document.createElement('section');
  const title = document.createElement(level);
  title.textContent = heading;
  element.append(title, content);
  return element;
}

function paragraph(text, className) {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = text;
  return element;
}
