import type { Chain } from '@stepwise/core';

/**
 * True when a value looks like a chain made by `defineChain`: a name and an array of typed steps.
 *
 * @example
 * ```ts
 * Object.values(await import('./chains.ts')).filter(isChain);
 * ```
 */
export function isChain(value: unknown): value is Chain {
  if (typeof value !== 'object' || value === null) return false;
  const { name, steps } = value as { name?: unknown; steps?: unknown };
  return (
    typeof name === 'string' &&
    Array.isArray(steps) &&
    steps.every(
      (step) => typeof step === 'object' && step !== null && typeof (step as { type?: unknown }).type === 'string',
    )
  );
}
