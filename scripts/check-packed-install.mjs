#!/usr/bin/env node
/**
 * Installable as published: packs every package (`pnpm pack`, which rewrites `workspace:*`), installs the tarballs
 * with npm into a fresh folder under the system's temporary folder (third-party dependencies from the registry), and
 * there runs what a new user would:
 *
 * - `smoke.mjs` (ESM) and `smoke.cjs` (CommonJS): define a chain, run it on runtime-local with fake models, serve it
 *   on 127.0.0.1 (port 0), POST `/v1/chains/greet/invoke` and `/stream`, check the answers, stop;
 * - `tsc` on `smoke.ts` and `smoke.cts` under `moduleResolution: node16`, and on `smoke.ts` under `bundler`
 *   (`skipLibCheck: false`, so the packages' own declarations are checked too), then `smoke.ts` itself with Node's
 *   type stripping;
 * - the `stepwise` command: `run` and `compile` of `greet-chain.mjs`.
 *
 * The packages must be built first (`pnpm build`). Usage: `node scripts/check-packed-install.mjs` (CI runs it after the
 * build). `KEEP=1` keeps the folder and prints its path. Exits 1 when a check fails.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  installedWeight,
  npmInstall,
  packPackages,
  repositoryRoot,
  writeInstallManifest,
} from './lib/packed-packages.mjs';

const fixtures = path.join(repositoryRoot, 'scripts', 'packed-install');
const rootManifest = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'));
const work = mkdtempSync(path.join(os.tmpdir(), 'stepwise-packed-install-'));
const keep = process.env.KEEP === '1';

/**
 * Runs a command in the app folder, echoing it and (unless `echo` is false) its standard output; returns that output.
 * A failing command throws, after printing what it wrote.
 */
function run(app, command, args, { echo = true } = {}) {
  console.log(`\n$ ${[path.basename(command), ...args].join(' ')}`);
  let output;
  try {
    output = execFileSync(command, args, {
      cwd: app,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NO_COLOR: '1' },
    });
  } catch (error) {
    process.stdout.write(error.stdout ?? '');
    throw error;
  }
  if (echo) process.stdout.write(output);
  return output;
}

function fail(message) {
  throw new Error(message);
}

try {
  const tarballFolder = path.join(work, 'tarballs');
  const app = path.join(work, 'app');
  mkdirSync(tarballFolder);
  mkdirSync(app);

  console.log(`Packing into ${tarballFolder}`);
  const tarballs = packPackages(tarballFolder);
  for (const tarball of tarballs) {
    console.log(`  ${path.basename(tarball.file)}  ${(tarball.bytes / 1024).toFixed(1)} KiB, ${tarball.files} files`);
  }

  for (const file of readdirSync(fixtures)) copyFileSync(path.join(fixtures, file), path.join(app, file));
  writeInstallManifest(
    app,
    tarballs,
    tarballs.map((tarball) => tarball.name),
    {
      typescript: rootManifest.devDependencies.typescript,
      '@types/node': rootManifest.devDependencies['@types/node'],
    },
  );
  console.log(`\nInstalling the tarballs with npm into ${app}`);
  const ms = npmInstall(app);
  const weight = installedWeight(app);
  console.log(
    `  ${weight.packages} packages, ${(weight.bytes / 1024 / 1024).toFixed(1)} MiB, in ${(ms / 1000).toFixed(1)} s`,
  );

  run(app, process.execPath, ['smoke.mjs']);
  run(app, process.execPath, ['smoke.cjs']);
  const tsc = 'node_modules/typescript/bin/tsc'; // relative to the app folder, the working directory
  run(app, process.execPath, [tsc, '-p', 'tsconfig.node16.json']);
  run(app, process.execPath, [tsc, '-p', 'tsconfig.bundler.json']);
  if (process.features.typescript) run(app, process.execPath, ['smoke.ts']);
  else console.log('\n(this Node has no type stripping: smoke.ts is type-checked, not run)');

  const stepwise = path.join(app, 'node_modules', '.bin', 'stepwise');
  const answer = run(app, stepwise, ['run', 'greet-chain.mjs']);
  if (!answer.includes('Hello, Ada! Nice to meet you.')) fail('`stepwise run` did not print the answer.');
  const asl = JSON.parse(run(app, stepwise, ['compile', 'greet-chain.mjs'], { echo: false }));
  if (typeof asl.StartAt !== 'string' || typeof asl.States !== 'object') {
    fail('`stepwise compile` did not print a state machine.');
  }
  console.log(`a state machine of ${Object.keys(asl.States).length} states, starting at ${asl.StartAt}`);

  console.log('\nThe packed packages install and work: ESM, CommonJS, TypeScript (node16, bundler), the CLI.');
} catch (error) {
  console.error(`\ncheck-packed-install failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  if (keep) console.log(`\nKept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
