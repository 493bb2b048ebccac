import type { Clock } from './clock';

/**
 * A {@link Clock} that only moves when told to.
 *
 * @example
 * ```ts
 * const clock: ManualClock = createManualClock();
 * clock.advance(1000);
 * ```
 */
export interface ManualClock extends Clock {
  /** Moves time forward, firing every timer that falls due, in order (timers they set that fall due fire too). */
  advance(ms: number): void;
  /** Timers set and neither fired nor cleared: 0 once a run has ended cleanly. */
  readonly pendingTimers: number;
}

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock for tests: timers fire only when `advance` is called, and `pendingTimers` shows whether a run left any behind.
 *
 * @example
 * ```ts
 * const clock = createManualClock();
 * const runtime = createLocalRuntime({ models, clock });
 * const running = runtime.run(chain, input); // a step waits 1 s before its retry
 * await Promise.resolve();
 * clock.advance(1000);
 * await running;
 * expect(clock.pendingTimers).toBe(0);
 * ```
 */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, Timer>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), seq: id, callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let next: Timer | undefined;
        for (const timer of timers.values()) {
          if (timer.at <= until && (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))) {
            next = timer;
          }
        }
        if (!next) break;
        timers.delete(next.seq);
        now = next.at;
        next.callback();
      }
      now = until;
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}
