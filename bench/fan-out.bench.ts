/**
 * Fan-out: a `map` over 10,000 items, one fake model call of 50 ms per item, maxConcurrency 500, on runtime-local.
 * Ideal wall time: 10,000 / 500 x 50 ms = 1.0 s; target <= 1.1 s. Peak in-flight calls must never exceed 500.
 */
import { defineChain, invoke, type ModelCallOptions, type ModelProvider, type ModelRequest, map } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import pLimit from 'p-limit';
import { collectGarbage, median, printTable } from './lib/measure';

const ITEMS = 10_000;
const LATENCY_MS = 50;
const MAX_CONCURRENCY = 500;
const ROUNDS = 3;

const fake = fakeModels({ default: 'ok', firstTokenMs: LATENCY_MS });
let inFlight = 0;
let peak = 0;
const counting: ModelProvider = {
  specificationVersion: 'v1',
  provider: 'counting',
  async doInvoke(request: ModelRequest, options?: ModelCallOptions) {
    inFlight++;
    if (inFlight > peak) peak = inFlight;
    try {
      return await fake.doInvoke(request, options);
    } finally {
      inFlight--;
    }
  },
  doStream: (request, options) => fake.doStream(request, options),
};

const chain = defineChain({
  name: 'fan-out',
  steps: [
    map('each', {
      items: 'input.items',
      maxConcurrency: MAX_CONCURRENCY,
      steps: [
        invoke('summary', { model: 'anthropic.claude-3-haiku-20240307-v1:0', prompt: 'Summarise item {{item}}' }),
      ],
    }),
  ],
});
const runtime = createLocalRuntime({ models: counting });
const input = { items: Array.from({ length: ITEMS }, (_, index) => index) };

const walls: number[] = [];
const peaks: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  collectGarbage();
  peak = 0;
  fake.calls.length = 0;
  const start = performance.now();
  const result = await runtime.run(chain, input);
  walls.push((performance.now() - start) / 1000);
  peaks.push(peak);
  if ((result.output as unknown[]).length !== ITEMS || fake.calls.length !== ITEMS) throw new Error('wrong item count');
}

// Baseline: the same calls through p-limit by hand, to show what the fake's timers cost on this machine.
const baseWalls: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  collectGarbage();
  const limit = pLimit(MAX_CONCURRENCY);
  const start = performance.now();
  await Promise.all(
    input.items.map((item) =>
      limit(() =>
        counting.doInvoke({
          modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
          stepId: 'summary',
          messages: [{ role: 'user', content: `Summarise item ${item}` }],
        }),
      ),
    ),
  );
  baseWalls.push((performance.now() - start) / 1000);
}

const wall = median(walls);
const maxPeak = Math.max(...peaks);
printTable(
  [
    'variant',
    'items',
    'latency per call',
    'maxConcurrency',
    'wall time (median)',
    'ideal',
    'min / max wall',
    'peak in-flight (max)',
  ],
  [
    [
      'stepwise map',
      ITEMS,
      `${LATENCY_MS} ms`,
      MAX_CONCURRENCY,
      `${wall.toFixed(3)} s`,
      `${((ITEMS / MAX_CONCURRENCY) * LATENCY_MS) / 1000} s`,
      `${Math.min(...walls).toFixed(3)} / ${Math.max(...walls).toFixed(3)} s`,
      maxPeak,
    ],
    [
      'plain p-limit, same fake calls',
      ITEMS,
      `${LATENCY_MS} ms`,
      MAX_CONCURRENCY,
      `${median(baseWalls).toFixed(3)} s`,
      `${((ITEMS / MAX_CONCURRENCY) * LATENCY_MS) / 1000} s`,
      `${Math.min(...baseWalls).toFixed(3)} / ${Math.max(...baseWalls).toFixed(3)} s`,
      '-',
    ],
  ],
);
const ok = wall <= 1.1 && maxPeak <= MAX_CONCURRENCY;
console.log(
  `\n${ROUNDS} rounds. Wall ${wall.toFixed(3)} s (target <= 1.1 s), peak ${maxPeak} (limit ${MAX_CONCURRENCY}): ${ok ? 'PASS' : 'FAIL'}.`,
);
if (!ok) process.exitCode = 1;
