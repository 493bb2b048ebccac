// The chain's graph, built from its definition (GET /v1/chains/:name): a tree of blocks for the layout, and every
// step as a node with its place (parent step, lane). No DOM here: the tests run it in Node.

/** Id of the start and end markers (not step ids: those start with a letter). */
export const INPUT = '@input';
export const OUTPUT = '@output';

/**
 * Builds the graph of a chain's steps: steps in order, parallel branches, choose cases and split variants as lanes of
 * a fork, map as a stacked node around its body, catch fallbacks as a lane beside their step, respond last.
 *
 * @param {{ name: string, steps: any[] }} chain
 * @returns {Graph}
 */
export function buildGraph(chain) {
  /** @type {Map<string, GraphNode>} */
  const nodes = new Map();
  /** @type {Map<string, Lane>} */
  const lanes = new Map();

  /** @returns {Block} */
  const sequence = (steps, parentId, laneId) => ({
    kind: 'seq',
    items: steps.map((step) => block(step, parentId, laneId)),
  });

  const lane = (forkId, key, kind, label, steps, title) => {
    const id = `${forkId}/${key}`;
    /** @type {Lane} */
    const entry = { id, forkId, key, kind, label, title: title ?? label, nodeIds: [], lastId: undefined };
    lanes.set(id, entry);
    const body = sequence(steps, forkId, id);
    const last = steps.at(-1);
    entry.lastId = last?.id;
    return { id, label: entry.label, title: entry.title, kind, block: body };
  };

  /** @returns {Block} */
  const block = (step, parentId, laneId) => {
    /** @type {GraphNode} */
    const node = { id: step.id, type: step.type, step, parentId, laneId, order: nodes.size };
    nodes.set(step.id, node);
    // the step belongs to its lane, and to the lanes its ancestors are in
    for (let at = laneId, parent = parentId; parent !== undefined; ) {
      if (at !== undefined) lanes.get(at).nodeIds.push(step.id);
      const outer = nodes.get(parent);
      at = outer.laneId;
      parent = outer.parentId;
    }
    /** @type {Block} */
    let result;
    switch (step.type) {
      case 'parallel':
        result = {
          kind: 'fork',
          id: step.id,
          lanes: Object.entries(step.branches).map(([name, steps]) => lane(step.id, name, 'branch', name, steps)),
        };
        break;
      case 'choose': {
        const cases = step.cases.map((option, index) => {
          const text = conditionText(option.when);
          // the label drops the `steps.` of paths (the title keeps them)
          const short = text.replace(/(^|[\s(])steps\./g, '$1');
          return lane(step.id, `case${index + 1}`, 'case', `when ${short}`, option.steps, `when ${text}`);
        });
        cases.push(
          step.otherwise
            ? lane(step.id, 'otherwise', 'otherwise', 'otherwise', step.otherwise)
            : lane(step.id, 'otherwise', 'none', 'otherwise: null', [], 'No case holds: the output is null.'),
        );
        result = { kind: 'fork', id: step.id, lanes: cases };
        break;
      }
      case 'split': {
        const entries = Object.entries(step.variants);
        const total = entries.reduce((sum, [, variant]) => sum + variant.weight, 0);
        result = {
          kind: 'fork',
          id: step.id,
          lanes: entries.map(([name, variant]) =>
            lane(step.id, name, 'variant', `${name} · ${percent(variant.weight, total)}`, variant.steps),
          ),
        };
        break;
      }
      case 'map':
        result = { kind: 'map', id: step.id, body: sequence(step.steps, step.id, undefined) };
        break;
      default:
        result = { kind: 'step', id: step.id };
    }
    const fallback = step.type === 'respond' ? undefined : step.policy?.catch;
    if (fallback) {
      const errors = fallback.errors.join(', ');
      const entry = lane(step.id, 'catch', 'fallback', `catch ${errors}`, fallback.fallback);
      result = { kind: 'catch', id: step.id, main: result, lane: entry };
    }
    return result;
  };

  const body = sequence(chain.steps, undefined, undefined);
  const root = {
    kind: 'seq',
    items: [
      { kind: 'terminal', id: INPUT, label: 'input' },
      ...body.items,
      { kind: 'terminal', id: OUTPUT, label: 'output' },
    ],
  };
  return { name: chain.name, root, nodes, lanes };
}

/**
 * The steps inside a step (its lanes' and its body's), nested ones included.
 *
 * @param {Graph} graph
 * @param {string} id
 * @returns {string[]}
 */
export function descendantsOf(graph, id) {
  const found = [];
  for (const node of graph.nodes.values()) {
    for (let parent = node.parentId; parent !== undefined; parent = graph.nodes.get(parent)?.parentId) {
      if (parent === id) {
        found.push(node.id);
        break;
      }
    }
  }
  return found;
}

/**
 * A condition as a reader says it: `steps.classify.value.churnRisk is true`, `input.tier = "gold"`.
 *
 * @param {any} condition
 * @returns {string}
 */
export function conditionText(condition) {
  const value = (v) => JSON.stringify(v);
  switch (condition.op) {
    case 'eq':
      return `${condition.path} = ${value(condition.value)}`;
    case 'ne':
      return `${condition.path} ≠ ${value(condition.value)}`;
    case 'gt':
      return `${condition.path} > ${value(condition.value)}`;
    case 'gte':
      return `${condition.path} ≥ ${value(condition.value)}`;
    case 'lt':
      return `${condition.path} < ${value(condition.value)}`;
    case 'lte':
      return `${condition.path} ≤ ${value(condition.value)}`;
    case 'isTrue':
      return `${condition.path} is true`;
    case 'isFalse':
      return `${condition.path} is false`;
    case 'exists':
      return `${condition.path} exists`;
    case 'matches':
      return `${condition.path} matches ${value(condition.pattern)}`;
    case 'and':
      return condition.conditions.map((inner) => `(${conditionText(inner)})`).join(' and ');
    case 'or':
      return condition.conditions.map((inner) => `(${conditionText(inner)})`).join(' or ');
    case 'not':
      return `not (${conditionText(condition.condition)})`;
    default:
      return JSON.stringify(condition);
  }
}

function percent(weight, total) {
  const share = total > 0 ? (weight / total) * 100 : 0;
  return `${Number.isInteger(share) ? share : share.toFixed(1)}%`;
}

/**
 * @typedef {object} GraphNode
 * @property {string} id
 * @property {string} type
 * @property {any} step the step's definition
 * @property {string | undefined} parentId the step this one is inside (parallel, choose, split, map, a catch)
 * @property {string | undefined} laneId the lane of the parent it runs in (none inside a map's body)
 * @property {number} order position in the definition, depth first
 *
 * @typedef {object} Lane
 * @property {string} id `<forkId>/<key>`
 * @property {string} forkId
 * @property {string} key branch, variant, `case<n>`, `otherwise` or `catch`
 * @property {'branch' | 'case' | 'otherwise' | 'none' | 'variant' | 'fallback'} kind
 * @property {string} label
 * @property {string} title
 * @property {string[]} nodeIds the steps in the lane, nested ones included
 * @property {string | undefined} lastId the lane's last step, whose output is the lane's
 *
 * @typedef {{ kind: 'step' | 'terminal', id: string, label?: string }
 *   | { kind: 'seq', items: Block[] }
 *   | { kind: 'fork', id: string, lanes: LaneBlock[] }
 *   | { kind: 'map', id: string, body: Block }
 *   | { kind: 'catch', id: string, main: Block, lane: LaneBlock }} Block
 *
 * @typedef {{ id: string, label: string, title: string, kind: string, block: Block }} LaneBlock
 *
 * @typedef {{ name: string, root: Block, nodes: Map<string, GraphNode>, lanes: Map<string, Lane> }} Graph
 */
