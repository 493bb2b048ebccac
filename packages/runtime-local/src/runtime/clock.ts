/**
 * The time source of a local runtime: `now` for step timings, `setTimeout`/`clearTimeout` for retry delays and step
 * timeouts. Replace it in tests to drive time by hand ({@link createManualClock}) or to make policy delays short.
 *
 * @example
 * ```ts
 * // Policy delays and timeouts 1000 times shorter (a conformance suite's fast clock).
 * const fastClock: Clock = {
 *   now: () => Date.now(),
 *   setTimeout: (callback, ms) => setTimeout(callback, ms / 1000),
 *   clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
 * };
 * const runtime = createLocalRuntime({ models, clock: fastClock });
 * ```
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
