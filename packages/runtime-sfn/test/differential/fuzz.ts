import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { caseToTypeScript } from './case-to-typescript';
import { formatFindings } from './format-findings';
import { knownDifferences } from './known-differences';
import { runFuzz } from './run-fuzz';

/**
 * `pnpm test:fuzz`: the differential fuzzer for as long as asked. Options (or environment variables):
 * `--runs N` (`FUZZ_RUNS`, default 500, unbounded with only `--seconds`), `--seconds S` (`FUZZ_SECONDS`),
 * `--seed X` (`FUZZ_SEED`, default random, always printed), `--path P` (replay one case of a seed),
 * `--strict` (tolerate only accepted known differences, so open classes show), `--no-shrink`,
 * `--shrink-budget N` and `--shrink-seconds S` (per class, default 200 evaluations and 45 s), `--findings FILE` (write the Markdown report).
 * Exits 1 when a mismatch is not tolerated.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'no-shrink': { type: 'boolean', default: false },
    'shrink-budget': { type: 'string' },
    'shrink-seconds': { type: 'string' },
    findings: { type: 'string' },
  },
});

const env = process.env;
const number = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));
const seconds = number(values.seconds ?? env.FUZZ_SECONDS);
const runs = number(values.runs ?? env.FUZZ_RUNS) ?? (seconds !== undefined ? Number.MAX_SAFE_INTEGER : 500);
const seed = number(values.seed ?? env.FUZZ_SEED) ?? (Math.random() * 2 ** 31) | 0;
const differences = values.strict ? knownDifferences.filter((difference) => !difference.open) : knownDifferences;

console.log(
  `differential fuzzer: seed ${seed}, ${runs === Number.MAX_SAFE_INTEGER ? 'unbounded' : runs} runs${seconds !== undefined ? `, at most ${seconds} s` : ''}`,
);
console.log(`replay with: pnpm test:fuzz --seed ${seed}${values.strict ? ' --strict' : ''}`);
let dots = 0;
const summary = await runFuzz({
  seed,
  runs,
  ...(seconds !== undefined ? { seconds } : {}),
  ...(values.path !== undefined ? { path: values.path } : {}),
  shrink: !values['no-shrink'],
  ...(values['shrink-budget'] !== undefined ? { shrinkBudget: Number(values['shrink-budget']) } : {}),
  ...(values['shrink-seconds'] !== undefined ? { shrinkSeconds: Number(values['shrink-seconds']) } : {}),
  differences,
  onCase(index, _fuzzCase, report) {
    const mark = { agree: '.', refused: 'r', tolerated: 't', mismatch: 'X' }[report.status];
    process.stdout.write(mark);
    if (++dots % 100 === 0) process.stdout.write(` ${index + 1}\n`);
  },
  onShrink(kind, state) {
    if (state === 'start') process.stdout.write(`\nshrinking: ${kind} ...`);
  },
});

console.log(
  `\n\nseed ${seed}: ${summary.runs} runs in ${(summary.durationMs / 1000).toFixed(1)} s; agree ${summary.agree}, ` +
    `refused ${summary.refused}, tolerated ${summary.tolerated}, mismatched ${summary.mismatched}; ` +
    `answered on both ${summary.succeeded}; ` +
    `largest intrinsic count ${summary.intrinsicMax}; stray service calls ${summary.strays}`,
);
const open = [...summary.classes.values()].filter((finding) => !finding.toleratedBy).sort((a, b) => b.count - a.count);
for (const finding of open) {
  const shown = finding.minimal ?? finding.first;
  console.log(`\n=== ${finding.kind} (${finding.count} runs; replay --seed ${seed} --path ${finding.path})`);
  console.log(shown.mismatch.detail);
  console.log(caseToTypeScript(shown.fuzzCase));
}
for (const finding of summary.classes.values()) {
  if (finding.toleratedBy) console.log(`tolerated: ${finding.kind} (${finding.count} runs) as ${finding.toleratedBy}`);
}

if (values.findings) {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const command = `pnpm test:fuzz --seed ${seed} --runs ${summary.runs}${values.strict ? ' --strict' : ''}`;
  writeFileSync(
    values.findings,
    formatFindings(summary, { date: new Date().toISOString(), commit, command, tolerant: !values.strict }),
  );
  console.log(`\nfindings written to ${values.findings}`);
}
process.exitCode = open.length > 0 ? 1 : 0;
