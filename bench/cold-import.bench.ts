/**
 * Cold import time of what a Lambda loads: a fresh `node` process per sample imports the built packages (`dist`, no
 * tsx, no compile cache) and reports how long the imports took. The target is about what a Lambda serving chains
 * imports, `@stepwise/server/handler` (the Express-free handler) together with `@stepwise/runtime-sfn` (ESM): median
 * under 150 ms. The other rows say where the time goes, the main entry (with the Express app) among them. Samples are
 * taken round robin (one of each variant, then again), so a busy moment of the shared machine does not fall on one
 * variant.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, printTable } from './lib/measure';

const TARGET_MS = 150;
const SAMPLES = Number(process.env.SAMPLES ?? 21);

const here = path.dirname(fileURLToPath(import.meta.url));
const esmProbe = path.join(here, 'lib', 'cold-import-probe.mjs');
const cjsProbe = path.join(here, 'lib', 'cold-require-probe.cjs');
// The server's own dependencies, resolved from its package as Node would (bench/ does not depend on them).
const fromServer = createRequire(fileURLToPath(import.meta.resolve('@stepwise/server')));

interface Variant {
  name: string;
  probe: string;
  specifiers: string[];
  target?: boolean;
}
const variants: Variant[] = [
  { name: '(nothing: `node` starting up)', probe: esmProbe, specifiers: [] },
  { name: '@stepwise/core', probe: esmProbe, specifiers: ['@stepwise/core'] },
  { name: '@stepwise/server/handler (no Express)', probe: esmProbe, specifiers: ['@stepwise/server/handler'] },
  { name: '@stepwise/server (main entry: with the Express app)', probe: esmProbe, specifiers: ['@stepwise/server'] },
  { name: '@stepwise/runtime-sfn', probe: esmProbe, specifiers: ['@stepwise/runtime-sfn'] },
  {
    name: '**@stepwise/server/handler + @stepwise/runtime-sfn** (ESM)',
    probe: esmProbe,
    specifiers: ['@stepwise/server/handler', '@stepwise/runtime-sfn'],
    target: true,
  },
  {
    name: '@stepwise/server/handler + @stepwise/runtime-sfn (CommonJS `require`)',
    probe: cjsProbe,
    specifiers: ['@stepwise/server/handler', '@stepwise/runtime-sfn'],
  },
  {
    name: 'for comparison: @stepwise/server (Express app) + @stepwise/runtime-sfn (ESM)',
    probe: esmProbe,
    specifiers: ['@stepwise/server', '@stepwise/runtime-sfn'],
  },
  {
    name: 'for scale: express alone',
    probe: esmProbe,
    specifiers: [pathToFileURL(fromServer.resolve('express')).href],
  },
  { name: 'for scale: pino alone', probe: esmProbe, specifiers: [pathToFileURL(fromServer.resolve('pino')).href] },
  {
    name: 'for scale: @aws-sdk/client-sfn + client-bedrock-runtime alone',
    probe: esmProbe,
    specifiers: ['@aws-sdk/client-sfn', '@aws-sdk/client-bedrock-runtime'],
  },
];

const env = { ...process.env };
delete env.NODE_COMPILE_CACHE;
delete env.NODE_OPTIONS;

function sample(variant: Variant): { importMs: number; sinceStartMs: number } {
  const printed = execFileSync(process.execPath, [variant.probe, ...variant.specifiers], {
    cwd: here,
    env,
    encoding: 'utf8',
  });
  return JSON.parse(printed) as { importMs: number; sinceStartMs: number };
}

const loadBefore = os.loadavg();
for (const variant of variants) sample(variant); // the first run of each warms the OS file cache, as a deployed Lambda's disk is
const results = variants.map(() => ({ importMs: [] as number[], sinceStartMs: [] as number[] }));
for (let round = 0; round < SAMPLES; round++) {
  variants.forEach((variant, index) => {
    const { importMs, sinceStartMs } = sample(variant);
    results[index]!.importMs.push(importMs);
    results[index]!.sinceStartMs.push(sinceStartMs);
  });
}
const loadAfter = os.loadavg();

const ms = (value: number) => `${value.toFixed(1)} ms`;
console.log(
  `Node ${process.version}, a fresh \`node\` per sample, ${SAMPLES} samples per row (round robin), built packages; ` +
    `load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after\n`,
);
let targetMedian = Number.NaN;
printTable(
  ['imported', 'import time, median', 'min / max', 'process start to imported, median'],
  variants.map((variant, index) => {
    const { importMs, sinceStartMs } = results[index]!;
    const middle = median(importMs);
    if (variant.target) targetMedian = middle;
    return [
      variant.name,
      variant.target
        ? `**${ms(middle)}** (target < ${TARGET_MS} ms: ${middle < TARGET_MS ? 'pass' : '**MISSED**'})`
        : ms(middle),
      `${ms(Math.min(...importMs))} / ${ms(Math.max(...importMs))}`,
      ms(median(sinceStartMs)),
    ];
  }),
);
if (!(targetMedian < TARGET_MS)) process.exitCode = 1;
