import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock';

describe('createManualClock', () => {
  it('fires due timers in time order when advanced, and counts pending ones', () => {
    const clock = createManualClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => {
      fired.push('a');
      clock.setTimeout(() => fired.push('nested'), 5);
    }, 10);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 1);
    clock.clearTimeout(cleared);
    expect(clock.pendingTimers).toBe(2);
    clock.advance(15);
    expect(fired).toEqual(['a', 'nested']);
    expect(clock.now()).toBe(115);
    clock.advance(100);
    expect(fired).toEqual(['a', 'nested', 'b']);
    expect(clock.pendingTimers).toBe(0);
  });
});
