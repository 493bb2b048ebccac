import { defineChain, map, task } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { runBoth } from './run-both';

/**
 * Mismatch classes the differential fuzzer (`test/differential/`) found between runtime-local and the compiled
 * machine on the emulator, each reduced to the chain that showed it.
 */
describe('differential fuzzer findings: one chain, one meaning', () => {
  it('hands a task whose input is null the JSON null, at top level and in a map iteration, on both sides', async () => {
    const echo = { h0: (input: unknown) => input };
    const single = defineChain({ name: 'null-payload', steps: [task('s1', { handler: 'h0', input: null })] });
    const fromPath = defineChain({ name: 'null-path', steps: [task('s1', { handler: 'h0', input: 'input.nil' })] });
    const inMap = defineChain({
      name: 'null-payload-map',
      steps: [map('s1', { items: 'input.items', steps: [task('s2', { handler: 'h0', input: null })] })],
    });
    const input = { nil: null, items: [{ title: 'a' }, { title: 'b' }] };
    for (const [chain, output] of [
      [single, null],
      [fromPath, null],
      [inMap, [null, null]],
    ] as const) {
      const { local, asl } = await runBoth(chain, input, { models: { default: 'ok' }, handlers: echo });
      expect(local).toMatchObject({ ok: true, output });
      expect(asl).toEqual(local);
    }
    // Without an input, the handler still gets `{ input }` on both sides.
    const byDefault = defineChain({ name: 'default-payload', steps: [task('s1', { handler: 'h0' })] });
    const { local, asl } = await runBoth(byDefault, input, { models: { default: 'ok' }, handlers: echo });
    expect(local).toMatchObject({ ok: true, output: { input } });
    expect(asl).toEqual(local);
  });
});
