/**
 * Install weight of each publishable package, as a user of the registry would get it: every package is packed
 * (`pnpm pack`), then each tarball alone is installed with npm into an empty folder under the system's temporary
 * folder (third-party dependencies resolved against the registry; the sibling `@stepwise/*` packages it depends on
 * from their tarballs). Reported per package: tarball size, bytes under `node_modules`, number of packages installed.
 * One more row installs what a Lambda serving chains on Step Functions needs: server + runtime-sfn.
 *
 * Checked (the benchmark fails otherwise): runtime-sfn's main entry installs none of the emulator's packages.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  installedWeight,
  npmInstall,
  type PackedTarball,
  packPackages,
  writeInstallManifest,
} from '../scripts/lib/packed-packages.mjs';
import { printTable } from './lib/measure';

/**
 * What only the emulator needs (or needed, with its former interpreter), which an install of runtime-sfn alone must not
 * bring. (The emulator's `@smithy/eventstream-codec` and `@smithy/util-utf8` come with the AWS SDK clients anyway.)
 */
const EMULATOR_ONLY = [
  '@stepwise/emulator',
  '@stepwise/runtime-local',
  'aws-local-stepfunctions',
  'asl-validator',
  'jsonpath-plus',
  'wildcard-match',
  'p-limit',
  '@aws-sdk/client-lambda',
];

const work = mkdtempSync(path.join(os.tmpdir(), 'stepwise-install-size-'));
const loadBefore = os.loadavg();
let failed = false;
try {
  const tarballs = packPackages(path.join(work, 'tarballs'));
  const byName = new Map(tarballs.map((tarball) => [tarball.name, tarball]));
  const installs: Array<{ label: string; names: string[]; tarballs: PackedTarball[] }> = [
    ...tarballs.map((tarball) => ({ label: tarball.name, names: [tarball.name], tarballs: [tarball] })),
    {
      label: 'a Lambda: @stepwise/server + @stepwise/runtime-sfn',
      names: ['@stepwise/server', '@stepwise/runtime-sfn'],
      tarballs: [byName.get('@stepwise/server')!, byName.get('@stepwise/runtime-sfn')!],
    },
  ];
  const rows: Array<Array<string | number>> = [];
  for (const [index, install] of installs.entries()) {
    const folder = path.join(work, `install-${index}`);
    mkdirSync(folder);
    writeInstallManifest(folder, tarballs, install.names);
    npmInstall(folder);
    const weight = installedWeight(folder);
    const largest = largestPackages(path.join(folder, 'node_modules'), 3);
    rows.push([
      install.label,
      `${(install.tarballs.reduce((sum, tarball) => sum + tarball.bytes, 0) / 1000).toFixed(1)} kB`,
      `${(weight.bytes / 1e6).toFixed(1)} MB`,
      weight.packages,
      largest.map(([name, bytes]) => `${name} ${(bytes / 1e6).toFixed(1)} MB`).join(', '),
    ]);
    if (install.label === '@stepwise/runtime-sfn') {
      const present = EMULATOR_ONLY.filter((name) => installedNames(path.join(folder, 'node_modules')).has(name));
      if (present.length > 0) {
        failed = true;
        console.log(`runtime-sfn's install brings what only the emulator needs: ${present.join(', ')}\n`);
      }
    }
    rmSync(folder, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg();
  console.log(
    `npm ${npmVersion()}, \`npm install --no-package-lock --ignore-scripts\` of each tarball alone in an empty folder; ` +
      `load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after\n`,
  );
  printTable(['installed', 'tarball(s)', 'node_modules', 'packages', 'largest packages in it'], rows);
  console.log(
    `\nruntime-sfn's install holds none of the emulator's packages (${EMULATOR_ONLY.join(', ')}): ${failed ? '**no**' : 'yes'}.`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;

/** Every package installed under `modules` (scoped and nested ones too), by name. */
function installedNames(modules: string): Set<string> {
  return new Set(installedFolders(modules).map(([name]) => name));
}

/** The `count` largest installed packages (a package's nested `node_modules` not counted in it), by bytes. */
function largestPackages(modules: string, count: number): Array<[string, number]> {
  const sizes = new Map<string, number>();
  for (const [name, folder] of installedFolders(modules)) sizes.set(name, (sizes.get(name) ?? 0) + ownBytes(folder));
  return [...sizes.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
}

function installedFolders(modules: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? readdirSync(path.join(modules, entry.name)).map((inner) => `${entry.name}/${inner}`)
      : [entry.name];
    for (const name of names) {
      const folder = path.join(modules, name);
      found.push([name, folder]);
      const nested = path.join(folder, 'node_modules');
      if (readdirSync(folder).includes('node_modules')) found.push(...installedFolders(nested));
    }
  }
  return found;
}

function ownBytes(folder: string): number {
  let bytes = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') bytes += ownBytes(full);
    } else bytes += lstatSync(full).size;
  }
  return bytes;
}

function npmVersion(): string {
  return execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
}
