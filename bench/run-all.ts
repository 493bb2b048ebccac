/**
 * Runs every `*.bench.ts` file in this folder, one after another, each in its own Node process (a clean heap and
 * JIT per benchmark). Adding a benchmark is adding a file. `pnpm bench` runs this; `pnpm bench fan-out` runs the
 * benchmarks whose file name contains "fan-out".
 *
 * The benchmarks import the built packages (`dist`, what users install): the root `pnpm bench` builds them first.
 * `BENCH_SOURCE=1` measures the TypeScript sources instead (through tsx), for a quick look while editing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

const source = process.env.BENCH_SOURCE === '1';
const built = path.join(here, '..', 'packages', 'server', 'dist', 'index.js');
if (!source && !existsSync(built)) {
  console.error(
    'The packages are not built: run `pnpm build` first (the root `pnpm bench` does), or set BENCH_SOURCE=1.',
  );
  process.exit(2);
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `# stepwise benchmarks\n\nNode ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} x ${cpu}; ` +
    `${source ? 'TypeScript sources (BENCH_SOURCE=1)' : 'built packages (dist)'}\n`,
);
let failed = 0;
for (const file of files) {
  console.log(`## ${file}\n`);
  const conditions = source ? ['--conditions=stepwise-source'] : [];
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...conditions, '--expose-gc', file], {
    cwd: here,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed++;
    console.log(`\n${file} failed (exit ${result.status ?? result.signal}).\n`);
  }
  console.log('');
}
process.exit(failed > 0 ? 1 : 0);
