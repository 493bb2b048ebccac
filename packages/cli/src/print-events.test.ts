import type { ChainEvent } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { printEvents } from './print-events';

function sink(isTTY = false) {
  let text = '';
  return {
    isTTY,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  } as unknown as NodeJS.WritableStream & { isTTY: boolean; text: string };
}

async function* events(list: ChainEvent[]): AsyncIterable<ChainEvent> {
  yield* list;
}

const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15, byModel: {} };
const run: ChainEvent[] = [
  { type: 'chain-start', runId: 'r1', chain: 'qa' },
  { type: 'step-start', stepId: 'classify', stepType: 'invoke' },
  {
    type: 'step-end',
    stepId: 'classify',
    stepType: 'invoke',
    output: { text: 'true', value: true, usage: { inputTokens: 4, outputTokens: 1 } },
    ms: 12,
  },
  { type: 'step-start', stepId: 'answer', stepType: 'respond' },
  { type: 'text-delta', stepId: 'answer', delta: 'Hello' },
  { type: 'text-delta', stepId: 'answer', delta: ' there' },
  { type: 'step-end', stepId: 'answer', stepType: 'respond', output: { text: 'Hello there' }, ms: 40 },
  { type: 'chain-end', output: { ok: true }, text: 'Hello there', usage, ms: 60 },
];

describe('printEvents', () => {
  it('plain: one line per event on stderr, the answer alone on stdout', async () => {
    const stdout = sink();
    const stderr = sink();
    const result = await printEvents(events(run), { mode: 'plain', stdout, stderr });
    expect(result.ok).toBe(true);
    expect(stdout.text).toBe('Hello there\n');
    expect(stderr.text).toBe(
      'chain-start qa r1\nstep-start classify invoke\nstep-end classify invoke 12ms  true\nstep-start answer respond\n' +
        'step-end answer respond 40ms\nchain-end 60ms 15 tokens (in 10, out 5)  output {"ok":true}\n',
    );
  });

  it('tty: rewrites a step line in place when it ends, without colours when asked', async () => {
    const stdout = sink(true);
    const stderr = sink(true);
    await printEvents(events(run), { mode: 'tty', stdout, stderr, color: false });
    expect(stderr.text).toContain('● classify');
    expect(stderr.text).toContain('\x1b[1A\r\x1b[2K  ✓ classify');
    expect(stderr.text).toContain('✓ done in 60 ms · 15 tokens (in 10, out 5)');
    expect(stderr.text).not.toContain('\x1b[3');
    expect(stdout.text).toBe('Hello there\n');
  });

  it('json: every event as one line on stdout; a failed run is not ok', async () => {
    const stdout = sink();
    const failed: ChainEvent[] = [
      run[0]!,
      { type: 'error', error: { name: 'StepFailedError', message: 'boom', stepId: 'classify' } },
    ];
    const result = await printEvents(events(failed), { mode: 'json', stdout, stderr: sink() });
    expect(result).toEqual({ ok: false, error: { name: 'StepFailedError', message: 'boom', stepId: 'classify' } });
    expect(
      stdout.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(failed);
  });
});
