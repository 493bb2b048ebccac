// Types of graph.js, for the TypeScript tests that import it.

export declare const INPUT: '@input';
export declare const OUTPUT: '@output';

export interface GraphNode {
  id: string;
  type: string;
  step: any;
  parentId: string | undefined;
  laneId: string | undefined;
  order: number;
}

export interface Lane {
  id: string;
  forkId: string;
  key: string;
  kind: 'branch' | 'case' | 'otherwise' | 'none' | 'variant' | 'fallback';
  label: string;
  title: string;
  nodeIds: string[];
  lastId: string | undefined;
}

export interface LaneBlock {
  id: string;
  label: string;
  title: string;
  kind: string;
  block: Block;
}

export type Block =
  | { kind: 'step' | 'terminal'; id: string; label?: string }
  | { kind: 'seq'; items: Block[] }
  | { kind: 'fork'; id: string; lanes: LaneBlock[] }
  | { kind: 'map'; id: string; body: Block }
  | { kind: 'catch'; id: string; main: Block; lane: LaneBlock };

export interface Graph {
  name: string;
  root: Block;
  nodes: Map<string, GraphNode>;
  lanes: Map<string, Lane>;
}

export declare function buildGraph(chain: { name: string; steps: any[] }): Graph;
export declare function descendantsOf(graph: Graph, id: string): string[];
export declare function conditionText(condition: any): string;
