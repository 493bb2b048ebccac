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

/** Live: each event goes out at once. */
class LiveStepEventLog implements StepEventLog {
  readonly size = 0;
  constructor(readonly push: (event: ChainEvent) => void) {}
  truncate(): void {}
  flush(): void {}
}

/**
 * Held back until `flush`. A class, not an object literal with a getter: V8 makes such a literal (its getter a fresh
 * closure) in dictionary mode, and one per streamed run cost more than the rest of the run.
 */
class HeldStepEventLog implements StepEventLog {
  private held: ChainEvent[] = [];
  constructor(private readonly emit: (event: ChainEvent) => void) {}

  get size(): number {
    return this.held.length;
  }

  push(event: ChainEvent): void {
    this.held.push(event);
  }

  truncate(mark: number): void {
    this.held.length = mark;
  }

  flush(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    for (const event of held) this.emit(event);
  }
}

/**
 * A step event log for `emit`: held back, or live.
 * @internal
 */
export function createStepEventLog(emit: (event: ChainEvent) => void, live: boolean): StepEventLog {
  return live ? new LiveStepEventLog(emit) : new HeldStepEventLog(emit);
}
