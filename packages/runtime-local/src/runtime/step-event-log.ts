import type { ChainEvent } from '@stepwise/core';

/**
 * Where a streamed run's main-path step events go. Held back (the default, decision 0001): they wait until the run
 * reaches `respond` or its end, and a failed attempt's events are dropped, so the sequence is the one Step Functions
 * can report. Live (`stream(chain, input, { live: true })`): each event goes out as it happens, failed attempts
 * included, for a view of the run while it works.
 * @internal
 */
export interface StepEventLog {
  push(event: ChainEvent): void;
  /** A mark to roll back to when an attempt fails. */
  readonly size: number;
  /** Drops the events after `mark` (held back only; live events are already out). */
  truncate(mark: number): void;
  /** Delivers the held-back events, in order. */
  flush(): void;
}

/**
 * A step event log for `emit`: held back, or live.
 * @internal
 */
export function createStepEventLog(emit: (event: ChainEvent) => void, live: boolean): StepEventLog {
  if (live) return { push: emit, size: 0, truncate() {}, flush() {} };
  const held: ChainEvent[] = [];
  return {
    push: (event) => held.push(event),
    get size() {
      return held.length;
    },
    truncate(mark) {
      held.length = mark;
    },
    flush() {
      for (const event of held) emit(event);
      held.length = 0;
    },
  };
}
