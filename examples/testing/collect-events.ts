import type { ChainEvent } from '@stepwise/core';

/**
 * Collects a run's events, without what runtimes may differ on (`ms`, `runId`, `step-retry`).
 *
 * @example
 * ```ts
 * const events = await collectEvents(runtime.stream(chain, input));
 * ```
 */
export async function collectEvents(stream: AsyncIterable<ChainEvent>): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  for await (const event of stream) {
    if (event.type === 'step-retry') continue;
    const { ms: _ms, runId: _runId, ...rest } = event as ChainEvent & { ms?: number; runId?: string };
    events.push(rest);
  }
  return events;
}
