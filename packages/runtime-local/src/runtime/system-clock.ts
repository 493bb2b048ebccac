import type { Clock } from './clock';

/**
 * The real clock: `performance.now()` and the global timers. The default of `createLocalRuntime`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime({ models, clock: systemClock });
 * ```
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
