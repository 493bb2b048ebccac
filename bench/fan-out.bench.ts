/**
 * Fan-out, in two parts.
 *
 * 1. Throughput: a `map` over 10,000 items, one fake model call of 50 ms per item, maxConcurrency 500, on
 *    runtime-local. Ideal wall time: 10,000 / 500 x 50 ms = 1.0 s; target <= 1.1 s. Peak in-flight calls must never
 *    exceed 500. A second row makes the same calls with `p-limit` by hand.
 * 2. Memory and scale: a `map` of zero-latency fake calls at maxConcurrency 500 over 10,000, 100,000 and 1,000,000
 *    items, each size in a fresh process (its peak RSS is its own). Targets: 1,000,000 items under 400 MiB peak RSS,
 *    and time per item flat: at 100,000 and 1,000,000 items at most 1.25x the time per item at 10,000, in wall time
 *    and in CPU time (medians of several runs for the smaller sizes).
 *
 * `SCALE=10000,100000` changes the sizes of part 2; `PART=1` or `PART=2` runs one part.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineChain, invoke, type ModelCallOptions, type ModelProvider, type ModelRequest, map } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import pLimit from 'p-limit';
import { collectGarbage, median, printTable } from './lib/measure';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const MAX_CONCURRENCY = 500;
/** Time per item is flat when no size takes more than this times the smallest size's time per item. */
const FLAT = 1.25;

const fanOut = defineChain({
  name: 'fan-out',
  steps: [
    map('each', {
      items: 'input.items',
      maxConcurrency: MAX_CONCURRENCY,
      steps: [invoke('summary', { model: MODEL, prompt: 'Summarise item {{item}}' })],
    }),
  ],
});

/** Part 2, in a child process: one map of `items` zero-latency calls; reports its time and the process's peak RSS. */
async function scaleChild(items: number, keepLog: boolean): Promise<void> {
  const fake = fakeModels({ default: 'ok' });
  let calls = 0;
  // fakeModels records every request in `calls`, as a test wants; a million recorded requests are the fake's memory,
  // not the executor's, so this provider empties the log as it goes (unless KEEP_LOG is set).
  const provider: ModelProvider = {
    specificationVersion: 'v1',
    provider: 'fake',
    doInvoke(request: ModelRequest, options?: ModelCallOptions) {
      calls++;
      if (!keepLog && fake.calls.length >= 1000) fake.calls.length = 0;
      return fake.doInvoke(request, options);
    },
    doStream: (request, options) => fake.doStream(request, options),
  };
  const runtime = createLocalRuntime({ models: provider });
  // Warm the JIT first, so that the smallest size does not pay for compilation.
  const warm = { items: Array.from({ length: 20_000 }, (_, index) => index) };
  for (let round = 0; round < 3; round++) await runtime.run(fanOut, warm);
  const input = { items: Array.from({ length: items }, (_, index) => index) };
  // A map of 10,000 items ends in tens of milliseconds, where one wait for a core on a shared machine skews the time,
  // and each run's collections fall differently: every size runs several times and the median counts (9 runs up to
  // 333,333 items, 3 at a million; the row with the call log kept runs once).
  const repeats = keepLog ? 1 : Math.max(1, Math.min(9, Math.round(3_000_000 / items)));
  const walls: number[] = [];
  const cpus: number[] = [];
  collectGarbage();
  const rssBefore = process.memoryUsage.rss();
  let firstPeakRssMiB = 0;
  for (let repeat = 0; repeat < repeats; repeat++) {
    calls = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await runtime.run(fanOut, input);
    walls.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
    const output = result.output as Array<{ text: string }>;
    if (output.length !== items || calls !== items || output[items - 1]?.text !== 'ok') {
      throw new Error(`wrong result: ${output.length} outputs, ${calls} calls for ${items} items`);
    }
    // The process's peak so far: warm-up and the first run. Later runs start with the heap the first one grew.
    if (repeat === 0) firstPeakRssMiB = maxRssMiB();
  }
  collectGarbage();
  process.send!({
    items,
    repeats,
    ms: median(walls),
    cpuMs: median(cpus),
    peakRssMiB: firstPeakRssMiB,
    allRunsPeakRssMiB: maxRssMiB(),
    rssBeforeMiB: rssBefore / 2 ** 20,
    heapAfterMiB: process.memoryUsage().heapUsed / 2 ** 20,
  });
}

function maxRssMiB(): number {
  return (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
}

interface ScaleResult {
  items: number;
  repeats: number;
  ms: number;
  cpuMs: number;
  peakRssMiB: number;
  allRunsPeakRssMiB: number;
  rssBeforeMiB: number;
  heapAfterMiB: number;
}

function runScale(items: number, keepLog: boolean): Promise<ScaleResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, FAN_OUT_ITEMS: String(items), KEEP_LOG: keepLog ? '1' : '' },
      execArgv: process.execArgv,
    });
    child.once('message', (message) => resolve(message as ScaleResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the ${items}-item run exited with ${code}`));
    });
  });
}

async function throughput(): Promise<boolean> {
  const ITEMS = 10_000;
  const LATENCY_MS = 50;
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
  const runtime = createLocalRuntime({ models: counting });
  const input = { items: Array.from({ length: ITEMS }, (_, index) => index) };

  const walls: number[] = [];
  const peaks: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    collectGarbage();
    peak = 0;
    fake.calls.length = 0;
    const start = performance.now();
    const result = await runtime.run(fanOut, input);
    walls.push((performance.now() - start) / 1000);
    peaks.push(peak);
    if ((result.output as unknown[]).length !== ITEMS || fake.calls.length !== ITEMS) {
      throw new Error('wrong item count');
    }
  }

  // Baseline: the same calls through p-limit by hand, to show what the fake's timers cost on this machine.
  const baseWalls: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    collectGarbage();
    fake.calls.length = 0;
    const limit = pLimit(MAX_CONCURRENCY);
    const start = performance.now();
    await Promise.all(
      input.items.map((item) =>
        limit(() =>
          counting.doInvoke({
            modelId: MODEL,
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
  const ideal = `${((ITEMS / MAX_CONCURRENCY) * LATENCY_MS) / 1000} s`;
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
        ideal,
        `${Math.min(...walls).toFixed(3)} / ${Math.max(...walls).toFixed(3)} s`,
        maxPeak,
      ],
      [
        'plain p-limit, same fake calls',
        ITEMS,
        `${LATENCY_MS} ms`,
        MAX_CONCURRENCY,
        `${median(baseWalls).toFixed(3)} s`,
        ideal,
        `${Math.min(...baseWalls).toFixed(3)} / ${Math.max(...baseWalls).toFixed(3)} s`,
        '-',
      ],
    ],
  );
  const ok = wall <= 1.1 && maxPeak <= MAX_CONCURRENCY;
  console.log(
    `\n${ROUNDS} rounds. Wall ${wall.toFixed(3)} s (target <= 1.1 s), peak ${maxPeak} (limit ${MAX_CONCURRENCY}): ${ok ? 'PASS' : 'FAIL'}.\n`,
  );
  return ok;
}

async function scale(): Promise<boolean> {
  const sizes = (process.env.SCALE ?? '10000,100000,1000000').split(',').map(Number);
  const results: ScaleResult[] = [];
  for (const items of sizes) results.push(await runScale(items, false));
  const largest = Math.max(...sizes);
  const withLog = await runScale(largest, true);
  const base = results[0]!;
  const perItem = (result: ScaleResult) => (result.ms * 1000) / result.items;
  const cpuPerItem = (result: ScaleResult) => (result.cpuMs * 1000) / result.items;
  const row = (name: string, result: ScaleResult) => [
    name,
    result.items,
    result.repeats,
    `${(result.ms / 1000).toFixed(2)} s`,
    `${perItem(result).toFixed(2)} µs`,
    `${(perItem(result) / perItem(base)).toFixed(2)}x`,
    `${cpuPerItem(result).toFixed(2)} µs`,
    `${(cpuPerItem(result) / cpuPerItem(base)).toFixed(2)}x`,
    `${result.rssBeforeMiB.toFixed(0)} MiB`,
    `${result.peakRssMiB.toFixed(0)} MiB`,
    `${result.allRunsPeakRssMiB.toFixed(0)} MiB`,
    `${result.heapAfterMiB.toFixed(0)} MiB`,
  ];
  printTable(
    [
      'map of zero-latency calls, maxConcurrency 500',
      'items',
      'runs (median)',
      'wall time',
      'time per item',
      'vs the smallest',
      'CPU per item',
      'vs the smallest',
      'RSS before',
      'peak RSS, first run',
      'peak RSS, all runs',
      'heap after (GC)',
    ],
    [
      ...results.map((result) => row('stepwise map', result)),
      row("for scale: the same, the fake's call log kept", withLog),
    ],
  );
  const top = results.find((result) => result.items === largest)!;
  const memoryOk = largest < 1_000_000 || top.peakRssMiB < 400;
  const flat = (of: (result: ScaleResult) => number) =>
    results.slice(1).every((result) => of(result) <= FLAT * of(base));
  const wallFlat = flat(perItem);
  const cpuFlat = flat(cpuPerItem);
  console.log(
    `\nEach size in a fresh process; load average ${os.loadavg()[0]!.toFixed(1)} at the end. ` +
      `Peak RSS at ${largest.toLocaleString('en-US')} items: ${top.peakRssMiB.toFixed(0)} MiB (target < 400 MiB): ` +
      `${memoryOk ? 'PASS' : 'FAIL'}. Per item at most ${FLAT}x the ${base.items.toLocaleString('en-US')}-item figure ` +
      `at every size: wall time ${wallFlat ? 'PASS' : 'FAIL'}, CPU time ${cpuFlat ? 'PASS' : 'FAIL'}.`,
  );
  return memoryOk && wallFlat && cpuFlat;
}

const childItems = process.env.FAN_OUT_ITEMS;
if (childItems !== undefined) {
  await scaleChild(Number(childItems), process.env.KEEP_LOG === '1');
  process.disconnect();
} else {
  const part = process.env.PART;
  const ok = [part !== '2' ? await throughput() : true, part !== '1' ? await scale() : true];
  if (ok.includes(false)) process.exitCode = 1;
}
