// The state of one run, folded from the parts of the UI message stream: each step's state (pending, running, done,
// failed, skipped, cancelled), output, time, usage, retries, sources, and the lanes a choose or split took.
// No DOM here: the tests run it in Node.

/**
 * A run of `graph` that has not started.
 *
 * @param {import('./graph.js').Graph} graph
 * @returns {Run}
 */
export function createRun(graph) {
  /** @type {Map<string, StepRecord>} */
  const steps = new Map();
  for (const node of graph.nodes.values()) {
    steps.set(node.id, {
      id: node.id,
      type: node.type,
      state: 'pending',
      output: undefined,
      hasOutput: false,
      note: undefined,
      ms: undefined,
      usage: undefined,
      error: undefined,
      retries: [],
      sources: [],
      iterations: undefined,
      version: 0,
    });
  }
  /** @type {Map<string, LaneState>} */
  const lanes = new Map();
  for (const id of graph.lanes.keys()) lanes.set(id, 'pending');
  return {
    graph,
    steps,
    lanes,
    status: 'idle',
    runId: undefined,
    text: '',
    sources: [],
    usage: undefined,
    output: undefined,
    hasOutput: false,
    ms: undefined,
    error: undefined,
    unknown: [],
  };
}

/**
 * Folds one part of the stream into the run.
 *
 * @param {Run} run
 * @param {any} part a UI message stream part
 */
export function applyPart(run, part) {
  switch (part.type) {
    case 'start':
      run.status = 'running';
      run.runId = part.messageId;
      break;
    case 'data-step':
      applyStep(run, part);
      break;
    case 'text-delta': {
      run.text += part.delta;
      break;
    }
    case 'source-document': {
      const meta = part.providerMetadata?.stepwise ?? {};
      const source = {
        id: part.sourceId,
        title: part.title,
        source: meta.source,
        score: meta.score,
        stepId: meta.stepId,
      };
      run.sources.push(source);
      const step = run.steps.get(meta.stepId);
      if (step) {
        step.sources.push(source);
        step.version++;
      }
      break;
    }
    case 'data-usage':
      run.usage = part.data;
      break;
    case 'finish':
      if (part.messageMetadata && 'output' in part.messageMetadata) {
        run.output = part.messageMetadata.output;
        run.hasOutput = true;
      }
      if (typeof part.messageMetadata?.ms === 'number') run.ms = part.messageMetadata.ms;
      endRun(run, 'done');
      break;
    case 'error': {
      run.error = {
        name: part.errorName ?? 'Error',
        message: part.errorText,
        stepId: part.stepId,
        error: part.error,
        cause: part.cause,
        requestId: part.requestId,
      };
      const step = run.steps.get(part.stepId);
      if (step && step.state !== 'failed') {
        failStep(run, part.stepId, { name: run.error.name, message: run.error.message, error: part.error });
      } else if (step) {
        inferPredecessors(run, part.stepId);
      }
      endRun(run, 'failed');
      break;
    }
    default:
      break;
  }
}

/**
 * Ends the run: `done` (the stream finished), `failed` (an error ended it, or it broke off) or `stopped` (Stop).
 * Steps still running become failed, or cancelled when stopped; steps that never started are skipped.
 *
 * @param {Run} run
 * @param {'done' | 'failed' | 'stopped'} outcome
 */
export function endRun(run, outcome) {
  if (run.status === 'done' || run.status === 'failed' || run.status === 'stopped') return;
  run.status = outcome;
  for (const step of run.steps.values()) {
    if (step.state === 'running') {
      step.state = outcome === 'stopped' ? 'cancelled' : outcome === 'failed' ? 'failed' : 'done';
      if (outcome === 'stopped') step.note = 'Stopped while it ran.';
      step.version++;
    } else if (step.state === 'pending') {
      step.state = 'skipped';
      step.note ??= skippedNote(run, step.id, outcome);
      step.version++;
    }
  }
  for (const [id, state] of run.lanes)
    if (state === 'pending' && laneFork(run, id)?.state !== 'done') run.lanes.set(id, 'skipped');
}

function skippedNote(run, id, outcome) {
  const node = run.graph.nodes.get(id);
  const parent = node.parentId === undefined ? undefined : run.steps.get(node.parentId);
  if (parent?.state === 'done' && node.laneId !== undefined && run.lanes.get(node.laneId) === 'skipped') {
    return 'Not on the path the run took.';
  }
  if (parent?.state === 'done') return `Not reported: ${parent.id} ran it, and its path is not known.`;
  if (outcome === 'stopped') return 'The run was stopped before it reported this step.';
  if (outcome === 'failed') return 'Not run, or not reported: the run failed first.';
  return 'Not run.';
}

function laneFork(run, laneId) {
  const lane = run.graph.lanes.get(laneId);
  return lane ? run.steps.get(lane.forkId) : undefined;
}

function applyStep(run, part) {
  const data = part.data ?? {};
  const id = typeof data.stepId === 'string' ? data.stepId : part.id;
  const parent = data.parent ?? data.parentId;
  const step = run.steps.get(id);
  if (!step) {
    run.unknown.push(part);
    return;
  }
  if (typeof parent === 'string' && typeof data.index === 'number') {
    const map = enclosingMap(run, id);
    if (map) {
      applyIteration(run, map, id, data);
      return;
    }
  }
  const lane = run.graph.nodes.get(id).laneId;
  if (lane !== undefined && data.status !== 'failed') run.lanes.set(lane, 'taken');
  switch (data.status) {
    case 'running':
      step.state = 'running';
      break;
    case 'retrying':
      step.state = 'running';
      step.retries.push({ attempt: data.attempt, error: data.error });
      break;
    case 'done':
      completeStep(run, id, data, undefined);
      break;
    case 'failed':
      failStep(run, id, data.error ?? { name: 'Error', message: 'The step failed.' });
      break;
    default:
      break;
  }
  step.version++;
}

/** For each step inside a map, the iterations it is running in (nested step events). */
const activeIterations = new WeakMap();

/** A nested step's event inside iteration `data.index` of a map: the iteration's status, and the step's. */
function applyIteration(run, mapId, id, data) {
  const map = run.steps.get(mapId);
  map.iterations ??= [];
  map.iterations[data.index] ??= { index: data.index, state: 'running', output: undefined };
  const iteration = map.iterations[data.index];
  const last = run.graph.nodes.get(mapId).step.steps.at(-1)?.id;
  if (data.status === 'failed') iteration.state = 'failed';
  else if (data.status === 'done' && id === last) {
    iteration.state = 'done';
    iteration.output = data.output;
  } else if (iteration.state !== 'failed') iteration.state = 'running';
  const step = run.steps.get(id);
  // the iterations this step runs in right now: it shows running while any does
  let active = activeIterations.get(step);
  if (active === undefined) {
    active = new Set();
    activeIterations.set(step, active);
  }
  if (data.status === 'running' || data.status === 'retrying') active.add(data.index);
  else active.delete(data.index);
  if (data.status === 'failed') {
    step.state = 'failed';
    step.error = data.error;
  } else if (step.state !== 'failed') {
    step.state = data.status === 'done' && active.size === 0 ? 'done' : 'running';
    if (data.status === 'retrying') step.retries.push({ attempt: data.attempt, error: data.error, index: data.index });
  }
  step.note = 'Per iteration: see the map step.';
  step.version++;
  map.version++;
}

function enclosingMap(run, id) {
  for (let at = run.graph.nodes.get(id)?.parentId; at !== undefined; at = run.graph.nodes.get(at)?.parentId) {
    if (run.graph.nodes.get(at).type === 'map') return at;
  }
  return undefined;
}

/**
 * A step is done: its record, then what that says about the steps inside it (a parallel's branches all ran, a map's
 * body ran once per item, a choose or split took one lane, a catch fallback ran or not).
 *
 * @param {Run} run
 * @param {string} id
 * @param {{ output?: unknown, ms?: number, usage?: unknown }} data
 * @param {string | undefined} note set when the step is known done without its own event
 */
function completeStep(run, id, data, note) {
  const step = run.steps.get(id);
  const node = run.graph.nodes.get(id);
  step.state = 'done';
  step.error = undefined;
  if (data.output !== undefined) {
    step.output = data.output;
    step.hasOutput = true;
  }
  if (typeof data.ms === 'number') step.ms = data.ms;
  if (data.usage !== undefined) step.usage = data.usage;
  if (note !== undefined) step.note = note;
  step.version++;
  const lanes = [...run.graph.lanes.values()].filter((lane) => lane.forkId === id && lane.kind !== 'fallback');
  switch (node.type) {
    case 'parallel':
      for (const lane of lanes) {
        run.lanes.set(lane.id, 'taken');
        const output = step.hasOutput ? step.output?.[lane.key] : undefined;
        completeLane(run, lane, output, `Ran in branch ${lane.key} of ${id}; its parent's output holds the result.`);
      }
      break;
    case 'map': {
      if (Array.isArray(step.output)) {
        step.iterations = step.output.map((output, index) => ({ index, state: 'done', output }));
      } else if (step.iterations) {
        for (const iteration of step.iterations) if (iteration.state === 'running') iteration.state = 'done';
      }
      const count = step.iterations?.length;
      for (const inner of run.graph.nodes.values()) {
        if (inner.parentId !== id || inner.laneId !== undefined) continue;
        const record = run.steps.get(inner.id);
        if (record.state === 'pending' || record.state === 'running') {
          completeStep(
            run,
            inner.id,
            {},
            `Ran once per item${count === undefined ? '' : ` (${count})`} of ${id}: see its iterations.`,
          );
        }
      }
      break;
    }
    case 'choose': {
      let chosen = lanes.find((lane) => lane.nodeIds.some((inner) => run.steps.get(inner).state !== 'pending'));
      if (!chosen && step.hasOutput && step.output === null) {
        const empty = lanes.filter((lane) => lane.nodeIds.length === 0);
        if (empty.length === 1) chosen = empty[0];
      }
      if (chosen) takeLane(run, lanes, chosen, step.hasOutput ? step.output : undefined);
      break;
    }
    case 'split': {
      const variant = step.hasOutput ? step.output?.variant : undefined;
      const chosen = lanes.find((lane) => lane.key === variant);
      if (chosen) takeLane(run, lanes, chosen, step.output?.output);
      break;
    }
    default:
      break;
  }
  const fallback = run.graph.lanes.get(`${id}/catch`);
  if (fallback) {
    const caught = fallbackRan(node, step);
    if (caught === true) {
      run.lanes.set(fallback.id, 'taken');
      completeLane(run, fallback, step.output, `Ran as the fallback of ${id}, whose output it gave.`);
    } else if (caught === false) {
      run.lanes.set(fallback.id, 'skipped');
      skipLane(run, fallback);
    }
  }
}

function takeLane(run, lanes, chosen, output) {
  for (const lane of lanes) {
    if (lane === chosen) {
      run.lanes.set(lane.id, 'taken');
      const last = lane.lastId === undefined ? undefined : run.steps.get(lane.lastId);
      if (last && last.state === 'pending' && output !== undefined) {
        completeStep(run, last.id, { output }, `Its output is the output of ${lane.forkId}.`);
      }
    } else {
      run.lanes.set(lane.id, 'skipped');
      skipLane(run, lane);
    }
  }
}

/** The direct steps of a lane that ran as a whole: done, the last one with the lane's output. */
function completeLane(run, lane, output, note) {
  for (const id of lane.nodeIds) {
    if (run.graph.nodes.get(id).laneId !== lane.id) continue;
    const record = run.steps.get(id);
    if (record.state !== 'pending' && record.state !== 'running') continue;
    completeStep(run, id, id === lane.lastId && output !== undefined ? { output } : {}, note);
  }
}

function skipLane(run, lane) {
  for (const id of lane.nodeIds) {
    const record = run.steps.get(id);
    if (record.state !== 'pending') continue;
    record.state = 'skipped';
    record.note = 'Not on the path the run took.';
    record.version++;
  }
}

/**
 * Whether a step's catch fallback gave its output, when the output shows it: an `invoke` answers `{ text, ... }` and a
 * `retrieve` `{ results: [...] }`; anything else means the fallback ran. Other kinds cannot tell (undefined).
 */
function fallbackRan(node, step) {
  if (!step.hasOutput) return undefined;
  const output = step.output;
  if (node.type === 'invoke')
    return !(typeof output === 'object' && output !== null && typeof output.text === 'string');
  if (node.type === 'retrieve')
    return !(typeof output === 'object' && output !== null && Array.isArray(output.results));
  return undefined;
}

/**
 * A step failed: its record, its enclosing steps (failed with it), and the steps before it on its path, which
 * completed though the stream did not report them (a runtime reports no step of a run that fails before `respond`).
 */
function failStep(run, id, error) {
  const step = run.steps.get(id);
  step.state = 'failed';
  step.error = error;
  step.version++;
  for (let node = run.graph.nodes.get(id); node.parentId !== undefined; node = run.graph.nodes.get(node.parentId)) {
    if (node.laneId !== undefined) run.lanes.set(node.laneId, 'taken');
    const parent = run.steps.get(node.parentId);
    if (parent.state === 'pending' || parent.state === 'running') {
      parent.state = 'failed';
      parent.error = { name: error.name, message: `Failed in ${id}.` };
      parent.version++;
    }
  }
  inferPredecessors(run, id);
}

function inferPredecessors(run, id) {
  const { nodes } = run.graph;
  for (let at = nodes.get(id); at !== undefined; at = at.parentId === undefined ? undefined : nodes.get(at.parentId)) {
    const current = at;
    for (const sibling of nodes.values()) {
      if (sibling.order >= current.order) break;
      if (sibling.parentId !== current.parentId || sibling.laneId !== current.laneId) continue;
      if (run.steps.get(sibling.id).state !== 'pending') continue;
      completeStep(
        run,
        sibling.id,
        {},
        'Completed before the failure; the stream reports no step of a run that fails.',
      );
    }
  }
}

/**
 * @typedef {'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled'} StepState
 * @typedef {'pending' | 'taken' | 'skipped'} LaneState
 *
 * @typedef {object} StepRecord
 * @property {string} id
 * @property {string} type
 * @property {StepState} state
 * @property {unknown} output
 * @property {boolean} hasOutput
 * @property {string | undefined} note how the state is known, when no event of the step said it
 * @property {number | undefined} ms
 * @property {{ inputTokens: number, outputTokens: number } | undefined} usage
 * @property {{ name: string, message: string, error?: string } | undefined} error
 * @property {{ attempt: number, error: { name: string, message: string }, index?: number }[]} retries
 * @property {{ id: string, title: string, source?: string, score?: number }[]} sources
 * @property {{ index: number, state: StepState, output: unknown }[] | undefined} iterations
 * @property {number} version bumped on every change, so views redraw only what changed
 *
 * @typedef {object} Run
 * @property {import('./graph.js').Graph} graph
 * @property {Map<string, StepRecord>} steps
 * @property {Map<string, LaneState>} lanes
 * @property {'idle' | 'running' | 'done' | 'failed' | 'stopped'} status
 * @property {string | undefined} runId
 * @property {string} text the streamed answer
 * @property {{ id: string, title: string, source?: string, score?: number, stepId?: string }[]} sources
 * @property {{ inputTokens: number, outputTokens: number, totalTokens?: number } | undefined} usage
 * @property {unknown} output
 * @property {boolean} hasOutput
 * @property {number | undefined} ms
 * @property {{ name: string, message: string, stepId?: string, error?: string, cause?: string, requestId?: string } | undefined} error
 * @property {any[]} unknown parts about steps the graph does not have
 */
