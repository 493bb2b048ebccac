// Types of run-state.js, for the TypeScript tests that import it.
import type { Graph } from './graph.js';

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
export type LaneState = 'pending' | 'taken' | 'skipped';

export interface StepRecord {
  id: string;
  type: string;
  state: StepState;
  output: unknown;
  hasOutput: boolean;
  note: string | undefined;
  ms: number | undefined;
  usage: { inputTokens: number; outputTokens: number } | undefined;
  error: { name: string; message: string; error?: string } | undefined;
  retries: { attempt: number; error: { name: string; message: string }; index?: number }[];
  sources: { id: string; title: string; source?: string; score?: number }[];
  iterations: { index: number; state: StepState; output: unknown }[] | undefined;
  version: number;
}

export interface Run {
  graph: Graph;
  steps: Map<string, StepRecord>;
  lanes: Map<string, LaneState>;
  status: 'idle' | 'running' | 'done' | 'failed' | 'stopped';
  runId: string | undefined;
  text: string;
  sources: { id: string; title: string; source?: string; score?: number; stepId?: string }[];
  usage: { inputTokens: number; outputTokens: number; totalTokens?: number } | undefined;
  output: unknown;
  hasOutput: boolean;
  ms: number | undefined;
  error:
    | { name: string; message: string; stepId?: string; error?: string; cause?: string; requestId?: string }
    | undefined;
  unknown: unknown[];
}

export declare function createRun(graph: Graph): Run;
export declare function applyPart(run: Run, part: unknown): void;
export declare function endRun(run: Run, outcome: 'done' | 'failed' | 'stopped'): void;
