import type { TaskHandler } from '../runtime/task-handler';

/**
 * The task handlers the conformance cases call, fresh for each case (`flaky` counts its calls):
 * - `echo`: returns its input;
 * - `fail`: throws an error named `input.errorName` (default `HandlerError`) with `input.message`;
 * - `flaky`: throws `FlakyError` on its first `input.failures` calls (default 1), then returns `{ ok: true, calls }`;
 * - `slow`: waits `input.ms` milliseconds (default 2500) or until its signal aborts, then returns `{ done: true }`;
 * - `lookup`: returns `{ customerId: input.customerId, tier: 'gold', orders: [...] }`.
 *
 * @example
 * ```ts
 * const handlers = conformanceHandlers();
 * await handlers.echo!({ a: 1 }, { stepId: 'x', signal: new AbortController().signal }); // { a: 1 }
 * ```
 */
export function conformanceHandlers(): { [name: string]: TaskHandler } {
  let flakyCalls = 0;
  return {
    echo: (input) => input,
    fail: (input) => {
      const spec = (input ?? {}) as { errorName?: string; message?: string };
      const error = new Error(spec.message ?? 'The handler failed.');
      error.name = spec.errorName ?? 'HandlerError';
      throw error;
    },
    flaky: (input) => {
      const failures = ((input ?? {}) as { failures?: number }).failures ?? 1;
      flakyCalls += 1;
      if (flakyCalls <= failures) {
        const error = new Error(`Flaky failure ${flakyCalls} of ${failures}.`);
        error.name = 'FlakyError';
        throw error;
      }
      return { ok: true, calls: flakyCalls };
    },
    slow: (input, context) => {
      const ms = ((input ?? {}) as { ms?: number }).ms ?? 2500;
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          context.signal.removeEventListener('abort', done);
          resolve({ done: true });
        };
        const timer = setTimeout(done, ms);
        context.signal.addEventListener('abort', done, { once: true });
      });
    },
    lookup: (input) => {
      const customerId = ((input ?? {}) as { customerId?: unknown }).customerId ?? null;
      return { customerId, tier: 'gold', orders: [{ id: 'o-1', total: 42.5 }] };
    },
  };
}
