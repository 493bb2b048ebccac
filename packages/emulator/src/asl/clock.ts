/** The time an execution sees: Wait states and Retry intervals sleep on it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * The wall clock: sleeping takes real time.
 * @example
 * await realClock().sleep(10, new AbortController().signal);
 */
export function realClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/**
 * A clock that fast-forwards: sleeping moves its time on at once (tests). Starts at the wall clock's time.
 * @example
 * const clock = fastForwardClock();
 * await clock.sleep(60_000, signal); // returns at once; clock.now() is a minute later
 */
export function fastForwardClock(start = Date.now()): Clock {
  let offset = 0;
  const base = Date.now();
  return {
    now: () => start + (Date.now() - base) + offset,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      offset += Math.max(0, ms);
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    },
  };
}
