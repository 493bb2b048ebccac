/**
 * Executor overhead: the reference chain (invoke classify as boolean -> choose -> parallel of two invokes ->
 * respond streaming 50 tokens) on runtime-local with `fakeModels`, against the floor: the same work hand-written as
 * plain async functions on the simplest provider (a few lines that return fixed text). Fakes at zero latency, so the
 * differences are pure overhead. Targets, as medians of per-round ratios to the floor: `run()` at most 2x, `stream()`
 * (every event consumed) at most 3x. The other rows split the gap: the plain code on `fakeModels` is what the fake
 * costs, stepwise on the floor provider is what the executor costs.
 *
 * `PROFILE=run|stream|plain-fake` runs only that variant for `PROFILE_MS` (default 5000) ms, for `--cpu-prof`.
 */
import os from 'node:os';
import type { ModelProvider, ModelRequest, ModelResponse, ModelStreamPart, ModelUsage } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { collectGarbage, median, printTable, runsPerSecond } from './lib/measure';
import {
  REFERENCE_ANSWER,
  REFERENCE_MODELS,
  referenceChain,
  referenceInput,
  referenceReplies,
} from './reference-chain';

const RUN_TARGET = 2;
const STREAM_TARGET = 3;

const models = fakeModels({ byStep: referenceReplies });

/** The floor's provider: fixed text by step, the answer as fixed deltas, fixed usage. */
const FLOOR_USAGE: ModelUsage = { inputTokens: 10, outputTokens: 5 };
const FLOOR_DELTAS = REFERENCE_ANSWER.match(/\s*\S+/g)!;
const floorModels: ModelProvider = {
  specificationVersion: 'v1',
  provider: 'floor',
  async doInvoke(request: ModelRequest): Promise<ModelResponse> {
    return { text: referenceReplies[request.stepId as keyof typeof referenceReplies], usage: FLOOR_USAGE };
  },
  async *doStream(): AsyncGenerator<ModelStreamPart> {
    for (const delta of FLOOR_DELTAS) yield { type: 'text-delta', delta };
    yield { type: 'finish', usage: FLOOR_USAGE, stopReason: 'end_turn' };
  },
};

/** The same work, written by hand. */
async function plain(provider: ModelProvider, question: string): Promise<{ output: unknown; text: string }> {
  const classify = await provider.doInvoke({
    modelId: REFERENCE_MODELS.haiku,
    stepId: 'classify',
    messages: [{ role: 'user', content: `Is this about billing? ${question}` }],
  });
  const billing = JSON.parse(classify.text) as boolean;
  let route: unknown = null;
  if (billing === true) {
    const [keywords, tone] = await Promise.all([
      provider.doInvoke({
        modelId: REFERENCE_MODELS.haiku,
        stepId: 'keywords',
        messages: [{ role: 'user', content: `Keywords: ${question}` }],
      }),
      provider.doInvoke({
        modelId: REFERENCE_MODELS.nova,
        stepId: 'tone',
        messages: [{ role: 'user', content: `Tone of: ${question}` }],
      }),
    ]);
    route = {
      keywords: { text: keywords.text, usage: keywords.usage },
      tone: { text: tone.text, usage: tone.usage },
    };
  }
  const request: ModelRequest = {
    modelId: REFERENCE_MODELS.sonnet,
    stepId: 'answer',
    system: `Context: ${JSON.stringify(route)}`,
    messages: [{ role: 'user', content: question }],
  };
  let text = '';
  for await (const part of provider.doStream(request)) if (part.type === 'text-delta') text += part.delta;
  return { output: { billing, route }, text };
}

const runtime = createLocalRuntime({ models });
const floorRuntime = createLocalRuntime({ models: floorModels });
const FLOOR = 'floor: plain async functions, simplest provider';
const RUN = 'stepwise run(), fakeModels';
const STREAM = 'stepwise stream(), fakeModels, all events consumed';
/**
 * A fake-model variant: the run, then the fake's call log emptied. `fakeModels` records every request in `calls`;
 * a test makes a few calls per fake, while a round here makes tens of thousands, and holding them made major garbage
 * collections the largest cost of every fake variant, the plain one included.
 */
const withFakes =
  (task: () => Promise<unknown>): (() => Promise<unknown>) =>
  async () => {
    const result = await task();
    models.calls.length = 0;
    return result;
  };
const variants: Array<{ name: string; task: () => Promise<unknown> }> = [
  { name: FLOOR, task: () => plain(floorModels, referenceInput.question) },
  { name: 'plain async functions, fakeModels', task: withFakes(() => plain(models, referenceInput.question)) },
  { name: 'stepwise run(), simplest provider', task: () => floorRuntime.run(referenceChain, referenceInput) },
  { name: RUN, task: withFakes(() => runtime.run(referenceChain, referenceInput)) },
  {
    name: STREAM,
    task: withFakes(async () => {
      let events = 0;
      for await (const _event of runtime.stream(referenceChain, referenceInput)) events++;
      return events;
    }),
  },
];

// Sanity: every variant produces the same answer.
const check = await runtime.run(referenceChain, referenceInput);
const floorCheck = await floorRuntime.run(referenceChain, referenceInput);
const reference = await plain(models, referenceInput.question);
const floorReference = await plain(floorModels, referenceInput.question);
if (new Set([check.text, floorCheck.text, reference.text, floorReference.text, REFERENCE_ANSWER]).size !== 1) {
  throw new Error('the variants give different answers');
}
models.calls.length = 0;

const profiled = process.env.PROFILE;
if (profiled) {
  const names: { [key: string]: string } = {
    run: RUN,
    stream: STREAM,
    'plain-fake': 'plain async functions, fakeModels',
  };
  const variant = variants.find((candidate) => candidate.name === names[profiled]);
  if (!variant) throw new Error(`PROFILE is one of ${Object.keys(names).join(', ')}`);
  const rate = await runsPerSecond(variant.task, Number(process.env.PROFILE_MS ?? 5000));
  console.log(`${variant.name}: ${Math.round(rate)} runs/s`);
  process.exit(0);
}

/**
 * Runs `task` back to back for `ms` milliseconds of wall time; returns runs per second of wall time and of CPU time
 * (user + system, this process). On a shared machine the CPU time is the steadier of the two: it leaves out the time
 * the process waited for a core.
 */
async function measureRound(task: () => Promise<unknown>, ms: number): Promise<{ wall: number; cpu: number }> {
  let runs = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 16; i++) await task();
    runs += 16;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (runs * 1000) / (now - start), cpu: (runs * 1e6) / (cpu.user + cpu.system) };
}

const ROUNDS = Number(process.env.ROUNDS ?? 30);
const ROUND_MS = 200;
const samples = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
const cpuSamples = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
for (const variant of variants) await runsPerSecond(variant.task, 500); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order (ABBA) so that drift within a round does not always favour the same variant.
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  for (const variant of order) {
    collectGarbage();
    const { wall, cpu } = await measureRound(variant.task, ROUND_MS);
    samples.get(variant.name)!.push(wall);
    cpuSamples.get(variant.name)!.push(cpu);
  }
}

// Each round measures every variant back to back, so the per-round ratio is robust to load that drifts between rounds.
const pairedRatio = (name: string, of: Map<string, number[]>) => {
  const floor = of.get(FLOOR)!;
  return median(of.get(name)!.map((rate, round) => floor[round]! / rate));
};
printTable(
  [
    'variant',
    'runs/s (median)',
    'µs/run (median)',
    'wall time vs floor (median of per-round ratios)',
    'CPU µs/run (median)',
    'CPU time vs floor (median of per-round ratios)',
  ],
  variants.map(({ name }) => {
    const rate = median(samples.get(name)!);
    const cpuRate = median(cpuSamples.get(name)!);
    return [
      name,
      rate,
      1e6 / rate,
      `${pairedRatio(name, samples).toFixed(2)}x`,
      1e6 / cpuRate,
      `${pairedRatio(name, cpuSamples).toFixed(2)}x`,
    ];
  }),
);
const runRatio = pairedRatio(RUN, samples);
const streamRatio = pairedRatio(STREAM, samples);
const runOk = runRatio <= RUN_TARGET;
const streamOk = streamRatio <= STREAM_TARGET;
console.log(
  `\n${ROUNDS} rounds of ${ROUND_MS} ms per variant (ABBA order), load average ${os.loadavg()[0]!.toFixed(1)} at the end. ` +
    `CPU time: run() ${pairedRatio(RUN, cpuSamples).toFixed(2)}x, stream() ${pairedRatio(STREAM, cpuSamples).toFixed(2)}x the floor.\n` +
    `Wall time: run() takes ${runRatio.toFixed(2)}x the floor (target <= ${RUN_TARGET}x): ` +
    `${runOk ? 'PASS' : 'FAIL'}; stream() ${streamRatio.toFixed(2)}x (target <= ${STREAM_TARGET}x): ${streamOk ? 'PASS' : 'FAIL'}.`,
);
if (!runOk || !streamOk) process.exitCode = 1;
