// Types of layout.js, for the TypeScript tests that import it.
import type { Graph } from './graph.js';

export interface Layout {
  width: number;
  height: number;
  nodes: { id: string; kind: 'step' | 'terminal'; x: number; y: number; w: number; h: number }[];
  edges: { points: number[][]; kind: 'flow' | 'fallback'; lane: string | undefined; arrow: boolean }[];
  labels: { lane: string; x: number; y: number; w: number; text: string; title: string }[];
  frames: { id: string; x: number; y: number; w: number; h: number }[];
  joins: { id: string; x: number; y: number }[];
}

export declare const SIZES: {
  node: { w: number; h: number };
  terminal: { w: number; h: number };
  gapY: number;
  laneGap: number;
  forkDrop: number;
  joinRise: number;
  emptyLane: number;
  mapPad: number;
  mapCaption: number;
  mapStack: number;
  catchGap: number;
  catchCaption: number;
  pad: number;
};

export declare function layoutGraph(graph: Graph, sizes?: typeof SIZES): Layout;
