/**
 * Executor overhead: the reference chain (invoke classify as boolean -> choose -> parallel of two invokes ->
 * respond streaming 50 tokens) on runtime-local, against the same work hand-written as plain async functions making
 * the same fake provider calls, in the same process. Fakes at zero latency, so the numbers are pure overhead.
 * Target: stepwise at most 3x the plain version's time per run (ratio of runs/s >= 0.33).
 */
import type { ModelProvider, ModelRequest } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { collectGarbage, median, printTable, runsPerSecond } from './lib/measure';
import {
  REFERENCE_ANSWER,
  REFERENCE_MODELS,
  referenceChain,
  referenceInput,
  referenceReplies,
} from './reference-chain';

const models = fakeModels({ byStep: referenceReplies });

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
const variants: Array<{ name: string; task: () => Promise<unknown> }> = [
  { name: 'plain async functions', task: () => plain(models, referenceInput.question) },
  { name: 'stepwise run()', task: () => runtime.run(referenceChain, referenceInput) },
  {
    name: 'stepwise stream() (all events consumed)',
    task: async () => {
      let events = 0;
      for await (const _event of runtime.stream(referenceChain, referenceInput)) events++;
      return events;
    },
  },
];

// Sanity: both produce the same answer.
const check = await runtime.run(referenceChain, referenceInput);
const reference = await plain(models, referenceInput.question);
if (check.text !== reference.text || check.text !== REFERENCE_ANSWER)
  throw new Error('stepwise and plain answers differ');
models.calls.length = 0;

const ROUNDS = 15;
const ROUND_MS = 300;
const samples = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
for (const variant of variants) await runsPerSecond(variant.task, 300); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of variants) {
    collectGarbage();
    samples.get(variant.name)!.push(await runsPerSecond(variant.task, ROUND_MS));
    models.calls.length = 0;
  }
}

// Each round measures every variant back to back, so the per-round ratio is robust to load that drifts between rounds.
const plainSamples = samples.get('plain async functions')!;
const pairedRatio = (name: string) => median(samples.get(name)!.map((rate, round) => plainSamples[round]! / rate));
printTable(
  [
    'variant',
    'runs/s (median)',
    'µs/run (median)',
    'time vs plain (median of per-round ratios)',
    'min runs/s',
    'max runs/s',
  ],
  variants.map(({ name }) => {
    const values = samples.get(name)!;
    const rate = median(values);
    return [name, rate, 1e6 / rate, `${pairedRatio(name).toFixed(2)}x`, Math.min(...values), Math.max(...values)];
  }),
);
const ratio = pairedRatio('stepwise run()');
console.log(
  `\n${ROUNDS} rounds of ${ROUND_MS} ms per variant. run() takes ${ratio.toFixed(2)}x the plain time per run (target <= 3x): ${ratio <= 3 ? 'PASS' : 'FAIL'}.`,
);
if (ratio > 3) process.exitCode = 1;
