// A layered layout of the chain's graph, computed from its blocks: a chain is series-parallel (sequences, forks whose
// lanes meet again, map bodies, catch fallbacks), so each block is measured from its parts and placed top to bottom,
// lanes side by side, with one entry and one exit on a vertical axis. No DOM here: the tests run it in Node.

/** Sizes in CSS pixels. */
export const SIZES = {
  node: { w: 196, h: 66 },
  terminal: { w: 84, h: 28 },
  /** Between consecutive steps. */
  gapY: 34,
  /** Between the lanes of a fork. */
  laneGap: 22,
  /** From a fork's node to the top of its lanes (the lane labels sit there). */
  forkDrop: 58,
  /** From the bottom of the lanes to where they join. */
  joinRise: 20,
  emptyLane: 132,
  /** Padding of a map's frame, and the height of its caption. */
  mapPad: 14,
  mapCaption: 20,
  /** The frame's stacked cards. */
  mapStack: 8,
  /** Between a step and its catch fallback, and the fallback's caption above it. */
  catchGap: 44,
  catchCaption: 26,
  pad: 20,
};

/**
 * Places every node, edge, lane label, map frame and join of a graph.
 *
 * @param {import('./graph.js').Graph} graph
 * @param {typeof SIZES} [sizes]
 * @returns {Layout}
 */
export function layoutGraph(graph, sizes = SIZES) {
  /** @type {Layout} */
  const out = { width: 0, height: 0, nodes: [], edges: [], labels: [], frames: [], joins: [] };
  const S = sizes;

  /**
   * @param {import('./graph.js').Block} block
   * @param {string | undefined} lane the lane the block is in (edges are tagged with it)
   * @returns {Measured}
   */
  const measure = (block, lane) => {
    switch (block.kind) {
      case 'step':
      case 'terminal': {
        const { w, h } = block.kind === 'step' ? S.node : S.terminal;
        return {
          w,
          h,
          ax: w / 2,
          entersNode: true,
          place(x, y) {
            out.nodes.push({ id: block.id, kind: block.kind, x, y, w, h });
          },
        };
      }
      case 'seq':
        return measureSequence(block.items, lane);
      case 'fork':
        return measureFork(block);
      case 'map':
        return measureMap(block, lane);
      case 'catch':
        return measureCatch(block, lane);
      default:
        throw new Error(`unknown block ${block.kind}`);
    }
  };

  const measureSequence = (items, lane) => {
    const parts = items.map((item) => measure(item, lane));
    if (parts.length === 0) {
      return { w: S.emptyLane, h: 0, ax: S.emptyLane / 2, entersNode: false, place() {} };
    }
    const ax = Math.max(...parts.map((part) => part.ax));
    const w = Math.max(...parts.map((part) => ax - part.ax + part.w));
    const h = parts.reduce((sum, part) => sum + part.h, 0) + S.gapY * (parts.length - 1);
    return {
      w,
      h,
      ax,
      entersNode: parts[0].entersNode,
      place(x, y) {
        let top = y;
        parts.forEach((part, index) => {
          if (index > 0) {
            out.edges.push({
              points: [
                [x + ax, top - S.gapY],
                [x + ax, top],
              ],
              kind: 'flow',
              lane,
              arrow: true,
            });
          }
          part.place(x + ax - part.ax, top);
          top += part.h + S.gapY;
        });
      },
    };
  };

  const measureFork = (block) => {
    const node = S.node;
    const lanes = block.lanes.map((entry) => {
      const inner = measure(entry.block, entry.id);
      const w = Math.max(inner.w, S.emptyLane);
      return { entry, inner, w, ax: (w - inner.w) / 2 + inner.ax };
    });
    const lanesW = lanes.reduce((sum, entry) => sum + entry.w, 0) + S.laneGap * (lanes.length - 1);
    const w = Math.max(node.w, lanesW);
    const ax = w / 2;
    const lanesTop = node.h + S.forkDrop;
    const lanesH = Math.max(0, ...lanes.map((entry) => entry.inner.h));
    const h = lanesTop + lanesH + S.joinRise;
    return {
      w,
      h,
      ax,
      entersNode: true,
      place(x, y) {
        out.nodes.push({ id: block.id, kind: 'step', x: x + ax - node.w / 2, y, w: node.w, h: node.h });
        const fanY = y + node.h + 12;
        let column = x + (w - lanesW) / 2;
        for (const { entry, inner, w: laneW, ax: laneAx } of lanes) {
          const laneX = column + laneAx;
          const top = y + lanesTop;
          const bottom = top + inner.h;
          out.edges.push({
            points: [
              [x + ax, y + node.h],
              [x + ax, fanY],
              [laneX, fanY],
              [laneX, top],
            ],
            kind: 'flow',
            lane: entry.id,
            arrow: inner.entersNode,
          });
          out.labels.push({ lane: entry.id, x: column, y: fanY + 5, w: laneW, text: entry.label, title: entry.title });
          inner.place(laneX - inner.ax, top);
          out.edges.push({
            points: [
              [laneX, bottom],
              [laneX, y + h],
              [x + ax, y + h],
            ],
            kind: 'flow',
            lane: entry.id,
            arrow: false,
          });
          column += laneW + S.laneGap;
        }
        out.joins.push({ id: block.id, x: x + ax, y: y + h });
      },
    };
  };

  const measureMap = (block, lane) => {
    const node = S.node;
    const body = measure(block.body, lane);
    const left = Math.max(node.w / 2, body.ax + S.mapPad);
    const right = Math.max(node.w / 2, body.w - body.ax + S.mapPad);
    const ax = left;
    const frameTop = node.h + S.gapY;
    const frameH = S.mapCaption + S.mapPad * 2 + body.h;
    const w = left + right + S.mapStack;
    const h = frameTop + frameH + S.mapStack;
    return {
      w,
      h,
      ax,
      entersNode: true,
      place(x, y) {
        out.nodes.push({ id: block.id, kind: 'step', x: x + ax - node.w / 2, y, w: node.w, h: node.h });
        const frame = { id: block.id, x, y: y + frameTop, w: left + right, h: frameH };
        out.frames.push(frame);
        const bodyTop = frame.y + S.mapCaption + S.mapPad;
        out.edges.push({
          points: [
            [x + ax, y + node.h],
            [x + ax, bodyTop],
          ],
          kind: 'flow',
          lane,
          arrow: body.entersNode,
        });
        body.place(x + ax - body.ax, bodyTop);
        out.edges.push({
          points: [
            [x + ax, bodyTop + body.h],
            [x + ax, y + h],
          ],
          kind: 'flow',
          lane,
          arrow: false,
        });
      },
    };
  };

  const measureCatch = (block, lane) => {
    const main = measure(block.main, lane);
    const fallback = measure(block.lane.block, block.lane.id);
    const fallbackW = Math.max(fallback.w, S.emptyLane);
    const drop = S.catchCaption;
    const w = main.w + S.catchGap + fallbackW;
    const ax = main.ax;
    const h = Math.max(main.h, drop + fallback.h) + S.joinRise;
    return {
      w,
      h,
      ax,
      entersNode: main.entersNode,
      place(x, y) {
        main.place(x, y);
        const column = x + main.w + S.catchGap;
        const fx = column + (fallbackW - fallback.w) / 2;
        const laneX = fx + fallback.ax;
        const top = y + drop;
        const side = x + ax + S.node.w / 2;
        const elbow = side + S.catchGap / 2;
        const from = y + S.node.h / 2;
        const to = fallback.entersNode ? top + S.node.h / 2 : top;
        const entry = fallback.entersNode ? laneX - S.node.w / 2 : laneX;
        out.edges.push({
          points: [
            [side, from],
            [elbow, from],
            [elbow, to],
            [entry, to],
          ],
          kind: 'fallback',
          lane: block.lane.id,
          arrow: fallback.entersNode,
        });
        out.labels.push({
          lane: block.lane.id,
          x: column,
          y,
          w: fallbackW,
          text: block.lane.label,
          title: block.lane.title,
        });
        fallback.place(fx, top);
        out.edges.push({
          points: [
            [laneX, fallback.entersNode ? top + fallback.h : top],
            [laneX, y + h],
            [x + ax, y + h],
          ],
          kind: 'fallback',
          lane: block.lane.id,
          arrow: false,
        });
        if (main.h < h)
          out.edges.push({
            points: [
              [x + ax, y + main.h],
              [x + ax, y + h],
            ],
            kind: 'flow',
            lane,
            arrow: false,
          });
      },
    };
  };

  const root = measure(graph.root, undefined);
  root.place(S.pad, S.pad + 4);
  out.width = Math.ceil(root.w + S.pad * 2);
  out.height = Math.ceil(root.h + S.pad * 2 + 4);
  return out;
}

/**
 * @typedef {object} Measured
 * @property {number} w
 * @property {number} h
 * @property {number} ax x of the entry and exit, from the block's left
 * @property {boolean} entersNode the entry is a node's top (an arrow points at it)
 * @property {(x: number, y: number) => void} place
 *
 * @typedef {object} Layout
 * @property {number} width
 * @property {number} height
 * @property {{ id: string, kind: 'step' | 'terminal', x: number, y: number, w: number, h: number }[]} nodes
 * @property {{ points: number[][], kind: 'flow' | 'fallback', lane: string | undefined, arrow: boolean }[]} edges
 * @property {{ lane: string, x: number, y: number, w: number, text: string, title: string }[]} labels
 * @property {{ id: string, x: number, y: number, w: number, h: number }[]} frames
 * @property {{ id: string, x: number, y: number }[]} joins
 */
