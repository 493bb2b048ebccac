import type { ChainEvent } from '../runtime/chain-event';
import type { ExpectedEvent } from './conformance-case';

/**
 * Drops what runtimes may differ on, as the conformance suite compares events: `ms`, `runId` and `step-retry` events.
 *
 * @example
 * ```ts
 * const events = [];
 * for await (const event of runtime.stream(chain, input)) events.push(event);
 * expect(normaliseEvents(events)).toEqual(expectedEvents);
 * ```
 */
export function normaliseEvents(events: ChainEvent[]): ExpectedEvent[] {
  const out: ExpectedEvent[] = [];
  for (const event of events) {
    if (event.type === 'step-retry') continue;
    const { ms: _ms, runId: _runId, ...rest } = event as ChainEvent & { ms?: number; runId?: string };
    out.push(rest as ExpectedEvent);
  }
  return out;
}
