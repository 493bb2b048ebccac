/**
 * What the definition-time checks cost (issue 13).
 *
 * 1. `defineChain` of every example chain, rebuilt from its own definition: structure, scopes, and every path
 *    checked against the step output shapes and the input's JSON Schema (derived from zod once per call). Target:
 *    the largest example (by steps, nested ones included) under 1 ms per call, median. Also shown: each call with
 *    a new copy of the input schema (core converts each schema object to JSON Schema once; this pays zod's
 *    conversion every time), `checkPaths` alone, and the first call of the process (cold: JIT, zod's conversion).
 * 2. `tsc --noEmit` on the examples (each chain typed by `defineChain`: input, output, checked paths), with
 *    `--extendedDiagnostics`: check time, type and instantiation counts. With `BENCH_TSC_BASELINE=<checkout>` (a
 *    `git worktree` of the commit before), the same runs alternate between the two trees and the ratio of the
 *    median check times is the target: at most 1.2x (several baselines: comma-separated; `BENCH_TSC_TREE` measures
 *    another checkout than this one).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Chain, checkPaths, defineChain, type Step } from '@stepwise/core';
import { chains } from '../examples/shared/index';
import { collectGarbage, median, printTable } from './lib/measure';

const TARGET_MS = 1;
const TSC_TARGET_RATIO = 1.2;
const ROUNDS = 15;
const CALLS = 400;
const TSC_RUNS = Number(process.env.TSC_RUNS ?? 5);

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');

function stepCount(steps: Step[]): number {
  let count = 0;
  for (const step of steps) {
    count++;
    const policy = step.type === 'respond' ? undefined : step.policy;
    if (policy?.catch) count += stepCount(policy.catch.fallback);
    if (step.type === 'parallel') for (const branch of Object.values(step.branches)) count += stepCount(branch);
    if (step.type === 'choose') {
      for (const entry of step.cases) count += stepCount(entry.steps);
      count += stepCount(step.otherwise ?? []);
    }
    if (step.type === 'map') count += stepCount(step.steps);
    if (step.type === 'split') for (const variant of Object.values(step.variants)) count += stepCount(variant.steps);
  }
  return count;
}

/**
 * Defines the chain again from its own data, as its module did. `fresh`: with a copy of the input schema, whose
 * JSON Schema core has not converted yet (core converts each schema object once).
 */
function redefine(chain: Chain, fresh = false): Chain {
  const input = fresh ? (chain.input as { clone?: () => Chain['input'] } | undefined)?.clone?.() : chain.input;
  return defineChain({
    name: chain.name,
    ...(chain.description === undefined ? {} : { description: chain.description }),
    ...(input === undefined ? {} : { input }),
    ...(chain.inputJsonSchema === undefined ? {} : { inputJsonSchema: chain.inputJsonSchema }),
    steps: chain.steps,
    ...(chain.output === undefined ? {} : { output: chain.output }),
  });
}

/** Milliseconds per call of each task, median over rounds; each round runs every task once (round robin). */
function perCallMs(tasks: Array<() => unknown>): number[] {
  const rounds: number[][] = tasks.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    tasks.forEach((task, index) => {
      collectGarbage();
      const start = performance.now();
      for (let i = 0; i < CALLS; i++) task();
      rounds[index]!.push((performance.now() - start) / CALLS);
    });
  }
  return rounds.map(median);
}

const sized = chains.map((chain) => ({ chain, steps: stepCount(chain.steps) })).sort((a, b) => b.steps - a.steps);
const largest = sized[0]!;
const start = performance.now();
redefine(largest.chain);
const coldMs = performance.now() - start;
for (let i = 0; i < 200; i++) for (const { chain } of sized) redefine(chain);

console.log('### `defineChain` of the examples\n');
const rows: Array<Array<string | number>> = [];
let missed = false;
const timings = perCallMs(
  sized.flatMap(({ chain }) => [() => redefine(chain), () => redefine(chain, true), () => checkPaths(chain)]),
);
for (const [index, { chain, steps }] of sized.entries()) {
  const [defineMs, freshMs, checkMs] = timings.slice(index * 3, index * 3 + 3) as [number, number, number];
  const target = chain === largest.chain;
  if (target && defineMs >= TARGET_MS) missed = true;
  rows.push([
    target ? `**${chain.name}** (largest)` : chain.name,
    steps,
    `${(defineMs * 1000).toFixed(1)} µs${target ? ` (target < ${TARGET_MS} ms: ${defineMs < TARGET_MS ? 'pass' : 'MISS'})` : ''}`,
    `${(freshMs * 1000).toFixed(1)} µs`,
    `${(checkMs * 1000).toFixed(1)} µs`,
  ]);
}
printTable(
  [
    'chain',
    'steps (nested included)',
    '`defineChain`, median per call',
    'with a new input schema each call',
    '`checkPaths` alone',
  ],
  rows,
);
console.log(`\nFirst \`defineChain\` of the process (${largest.chain.name}, cold): ${coldMs.toFixed(2)} ms.\n`);

if (TSC_RUNS > 0) measureTsc();
function measureTsc(): void {
  console.log('### `tsc --noEmit` on the examples\n');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const work = mkdtempSync(path.join(os.tmpdir(), 'stepwise-tsc-'));
  interface TscRun {
    checkS: number;
    totalS: number;
    types: number;
    instantiations: number;
  }
  function tscRun(tree: string, name: string): TscRun {
    // a config outside the tree, so that neither checkout gets a stray file; paths are absolute
    const config = path.join(work, `${name}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(tree, 'tsconfig.base.json'),
        compilerOptions: { noEmit: true, typeRoots: [path.join(tree, 'node_modules', '@types')] },
        include: [path.join(tree, 'examples', '**', '*.ts')],
        exclude: ['**/node_modules', '**/dist'],
      }),
    );
    const result = spawnSync(process.execPath, [tsc, '-p', config, '--extendedDiagnostics'], { encoding: 'utf8' });
    const read = (label: string) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(result.stdout)?.[1] ?? NaN);
    if (/error TS/.test(result.stdout))
      throw new Error(`tsc found errors in ${tree}:\n${result.stdout.slice(0, 2000)}`);
    return {
      checkS: read('Check time'),
      totalS: read('Total time'),
      types: read('Types'),
      instantiations: read('Instantiations'),
    };
  }
  const baselines = (process.env.BENCH_TSC_BASELINE ?? '').split(',').filter((tree) => tree !== '');
  const measured = path.resolve(process.env.BENCH_TSC_TREE ?? root);
  const trees: Array<[string, string]> = [
    ...baselines.map((tree, index): [string, string] => [`baseline ${index + 1} (${tree})`, path.resolve(tree)]),
    [`measured (${measured === root ? 'this tree' : measured})`, measured],
  ];
  const runs = new Map<string, TscRun[]>(trees.map(([name]) => [name, []]));
  for (let i = 0; i < TSC_RUNS; i++) {
    trees.forEach(([name, tree], index) => {
      runs.get(name)!.push(tscRun(tree, `tree-${index}`));
    });
  }
  rmSync(work, { recursive: true, force: true });
  const summary = trees.map(([name]) => {
    const all = runs.get(name)!;
    return {
      name,
      check: median(all.map((run) => run.checkS)),
      total: median(all.map((run) => run.totalS)),
      types: all[0]!.types,
      instantiations: all[0]!.instantiations,
    };
  });
  printTable(
    ['tree', `check time (median of ${TSC_RUNS})`, 'total time', 'types', 'instantiations'],
    summary.map((row) => [
      row.name,
      `${row.check.toFixed(2)} s`,
      `${row.total.toFixed(2)} s`,
      row.types,
      row.instantiations,
    ]),
  );
  const last = summary.at(-1)!;
  summary.slice(0, -1).forEach((base, index) => {
    const ratio = last.check / base.check;
    const pass = ratio <= TSC_TARGET_RATIO;
    if (!pass) missed = true;
    console.log(
      `\nCheck time vs baseline ${index + 1}: **${ratio.toFixed(2)}x** (target <= ${TSC_TARGET_RATIO}x: ${pass ? 'pass' : 'MISS'}).`,
    );
  });
}

if (missed) process.exitCode = 1;
