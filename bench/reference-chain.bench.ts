/**
 * Executor overhead: the reference chain (invoke classify as boolean -> choose -> parallel of two invokes ->
 * respond streaming 50 tokens) on runtime-local with `fakeModels`, against the floor: the same work hand-written as
 * plain async functions on the simplest provider (a few lines that return fixed text). Fakes at zero latency, so the
 * differences are pure overhead. Targets, as medians of per-round ratios to the floor: `run()` at most 2x, `stream()`
 * (every event consumed) at most 3x, in wall time and in CPU time. The other rows split the gap: the plain code on
 * `fakeModels` is what the fake costs, stepwise on the floor provider is what the executor costs. Each variant runs
 * in its own process; the parent asks each for a round in turn.
 *
 * `ROUNDS=n` changes the number of rounds (30). `PROFILE=<variant key>` (`run`, `stream`, `floor`, ...) warms that
 * variant alone, profiles it for `PROFILE_MS` (5000) ms with the inspector's CPU profiler and writes the profile to
 * `PROFILE_OUT` (default `reference-chain-<key>.cpuprofile` in the system's temporary folder).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelProvider, ModelRequest, ModelResponse, ModelStreamPart, ModelUsage } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { measureRound, median, printTable, type RoundRates, runsPerSecond } from './lib/measure';
import {
  REFERENCE_ANSWER,
  REFERENCE_MODELS,
  referenceChain,
  referenceInput,
  referenceReplies,
} from './reference-chain';

const QUESTION = referenceInput.question;
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
    return {
      text: referenceReplies[request.stepId as keyof typeof referenceReplies],
      usage: FLOOR_USAGE,
      stopReason: 'end_turn',
    };
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

interface Variant {
  key: string;
  name: string;
  task: () => Promise<unknown>;
}
const variants: Variant[] = [
  { key: 'floor', name: 'floor: plain async functions, simplest provider', task: () => plain(floorModels, QUESTION) },
  { key: 'plain-fake', name: 'plain async functions, fakeModels', task: withFakes(() => plain(models, QUESTION)) },
  {
    key: 'run-floor',
    name: 'stepwise run(), simplest provider',
    task: () => floorRuntime.run(referenceChain, referenceInput),
  },
  {
    key: 'run',
    name: 'stepwise run(), fakeModels',
    task: withFakes(() => runtime.run(referenceChain, referenceInput)),
  },
  {
    key: 'stream',
    name: 'stepwise stream(), fakeModels, all events consumed',
    task: withFakes(async () => {
      let events = 0;
      for await (const _event of runtime.stream(referenceChain, referenceInput)) events++;
      return events;
    }),
  },
];
const variantOf = (key: string): Variant => {
  const variant = variants.find((candidate) => candidate.key === key);
  if (!variant) throw new Error(`no variant "${key}": one of ${variants.map((each) => each.key).join(', ')}`);
  return variant;
};

const role = process.env.REFERENCE_CHAIN_VARIANT;
const profiled = process.env.PROFILE;
if (role !== undefined) {
  // A measuring process: one variant, rounds on request. Each variant runs in its own process, as an application runs
  // one of them: the JIT's type feedback and the heap are its own, not shaped by the other variants.
  const { task } = variantOf(role);
  // No forced collection between rounds: a full GC shrinks the young generation, and the next round then pays for
  // many more scavenges than an application in its steady state does.
  process.on('message', async (message: { ms: number }) => {
    process.send!(await measureRound(task, message.ms));
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true });
} else if (profiled !== undefined) {
  // One variant warmed up, then profiled with the inspector's CPU profiler (module loading and compilation stay out).
  const variant = variantOf(profiled);
  await runsPerSecond(variant.task, 1000);
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  const rate = await runsPerSecond(variant.task, Number(process.env.PROFILE_MS ?? 5000));
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  const out = process.env.PROFILE_OUT ?? path.join(os.tmpdir(), `reference-chain-${profiled}.cpuprofile`);
  writeFileSync(out, JSON.stringify(profile));
  console.log(`${variant.name}: ${Math.round(rate)} runs/s while profiled; profile written to ${out}`);
} else {
  // Sanity: every variant produces the same answer.
  const answers = [
    (await runtime.run(referenceChain, referenceInput)).text,
    (await floorRuntime.run(referenceChain, referenceInput)).text,
    (await plain(models, QUESTION)).text,
    (await plain(floorModels, QUESTION)).text,
  ];
  if (new Set([...answers, REFERENCE_ANSWER]).size !== 1) throw new Error('the variants give different answers');

  const children = await Promise.all(
    variants.map(
      (variant) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = fork(fileURLToPath(import.meta.url), [], {
            env: { ...process.env, REFERENCE_CHAIN_VARIANT: variant.key },
            execArgv: process.execArgv,
          });
          child.once('message', () => resolve(child));
          child.once('error', reject);
        }),
    ),
  );
  const round = (child: ChildProcess, ms: number) =>
    new Promise<RoundRates>((resolve) => {
      child.once('message', (result) => resolve(result as RoundRates));
      child.send({ ms });
    });

  const ROUNDS = Number(process.env.ROUNDS ?? 30);
  const ROUND_MS = 200;
  for (const child of children) await round(child, 1000); // warm-up
  const samples: RoundRates[][] = variants.map(() => []);
  for (let index = 0; index < ROUNDS; index++) {
    // One round runs every variant once, back to back; the order alternates (ABBA), so drift within a round does
    // not always favour the same variant.
    const order = variants.map((_, position) => position);
    if (index % 2 === 1) order.reverse();
    for (const position of order) samples[position]!.push(await round(children[position]!, ROUND_MS));
  }
  for (const child of children) child.disconnect();

  const ratio = (key: string, of: keyof RoundRates) => {
    const floor = samples[0]!;
    const rounds = samples[variants.findIndex((variant) => variant.key === key)]!;
    return median(rounds.map((sample, index) => floor[index]![of] / sample[of]));
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
    variants.map(({ key, name }, position) => {
      const rate = median(samples[position]!.map((sample) => sample.wall));
      const cpuRate = median(samples[position]!.map((sample) => sample.cpu));
      return [
        name,
        rate,
        1e6 / rate,
        `${ratio(key, 'wall').toFixed(2)}x`,
        1e6 / cpuRate,
        `${ratio(key, 'cpu').toFixed(2)}x`,
      ];
    }),
  );
  const verdict = (value: number, target: number) =>
    `${value.toFixed(2)}x (target <= ${target}x): ${value <= target ? 'PASS' : 'FAIL'}`;
  const runWall = ratio('run', 'wall');
  const streamWall = ratio('stream', 'wall');
  const runCpu = ratio('run', 'cpu');
  const streamCpu = ratio('stream', 'cpu');
  console.log(
    `\n${ROUNDS} rounds of ${ROUND_MS} ms per variant (ABBA order), each variant in its own process; load average ` +
      `${os.loadavg()[0]!.toFixed(1)} at the end.\n` +
      `Wall time: run() ${verdict(runWall, RUN_TARGET)}; stream() ${verdict(streamWall, STREAM_TARGET)}.\n` +
      `CPU time: run() ${verdict(runCpu, RUN_TARGET)}; stream() ${verdict(streamCpu, STREAM_TARGET)}.`,
  );
  if (Math.max(runWall, runCpu) > RUN_TARGET || Math.max(streamWall, streamCpu) > STREAM_TARGET) process.exitCode = 1;
}
