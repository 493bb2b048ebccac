/**
 * Packs the publishable packages (`packages/*`) the way `pnpm publish` would, and installs their tarballs with npm into
 * a folder of its own, as a user of the registry would get them. Shared by `scripts/check-packed-install.mjs` (CI) and
 * `bench/install-size.bench.ts`.
 *
 * `pnpm pack` rewrites `workspace:*` ranges to the packed version. Until the packages are on the registry, npm cannot
 * resolve `@stepwise/*` there, so the installing `package.json` points every `@stepwise/*` name at its tarball with
 * `overrides`: third-party dependencies resolve against the registry, the siblings come from the packed files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The publishable packages: every `packages/<name>` whose `package.json` is not private, sorted by folder.
 *
 * @example
 * ```js
 * publishablePackages().map((pkg) => pkg.name); // ['@stepwise/cli', '@stepwise/core', ...]
 * ```
 */
export function publishablePackages() {
  const folder = path.join(repositoryRoot, 'packages');
  return readdirSync(folder)
    .sort()
    .map((entry) => path.join(folder, entry))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir }));
}

/**
 * Packs every publishable package with `pnpm pack` into `destination`. The packages must be built (their `dist`
 * exists): this throws otherwise, naming the package.
 *
 * @example
 * ```js
 * const tarballs = packPackages('/tmp/stepwise-packed/tarballs');
 * tarballs[0]; // { name: '@stepwise/cli', version: '0.1.0', file: '/tmp/.../stepwise-cli-0.1.0.tgz', bytes: 54220, files: 70 }
 * ```
 */
export function packPackages(destination) {
  return publishablePackages().map((pkg) => {
    if (!existsSync(path.join(pkg.dir, 'dist'))) {
      throw new Error(`${pkg.name} is not built (no ${path.join(pkg.dir, 'dist')}): run \`pnpm build\` first.`);
    }
    const printed = execFileSync('pnpm', ['pack', '--json', '--pack-destination', destination], {
      cwd: pkg.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const packed = JSON.parse(printed.slice(printed.indexOf('{')));
    return {
      name: pkg.name,
      version: pkg.version,
      file: packed.filename,
      bytes: lstatSync(packed.filename).size,
      files: packed.files.length,
    };
  });
}

/**
 * Writes `<folder>/package.json` for an npm install of some tarballs: `dependencies` names the chosen packages (and
 * any registry packages in `extra`), `overrides` points every packed `@stepwise/*` name at its tarball.
 *
 * @example
 * ```js
 * writeInstallManifest(appDir, tarballs, ['@stepwise/server'], { typescript: '~5.9.3' });
 * ```
 */
export function writeInstallManifest(folder, tarballs, names, extra = {}) {
  const spec = (tarball) => `file:${tarball.file}`;
  const byName = new Map(tarballs.map((tarball) => [tarball.name, tarball]));
  const dependencies = {};
  for (const name of names) {
    const tarball = byName.get(name);
    if (!tarball) throw new Error(`No tarball for ${name}.`);
    dependencies[name] = spec(tarball);
  }
  const manifest = {
    name: 'stepwise-packed-install',
    version: '0.0.0',
    private: true,
    type: 'module',
    dependencies: { ...dependencies, ...extra },
    overrides: Object.fromEntries(tarballs.map((tarball) => [tarball.name, spec(tarball)])),
  };
  writeFileSync(path.join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Runs `npm install` in `folder` (registry resolution, no lockfile kept, no install scripts; npm's errors go to
 * standard error) and returns how long it took, in milliseconds.
 *
 * @example
 * ```js
 * const ms = npmInstall(appDir);
 * ```
 */
export function npmInstall(folder) {
  const started = performance.now();
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error'],
    { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return performance.now() - started;
}

/**
 * What an install put in `<folder>/node_modules`: the bytes of every file in it (as `du -sb` counts, symbolic links
 * not followed) and the number of packages npm installed (from its hidden lockfile).
 *
 * @example
 * ```js
 * installedWeight(appDir); // { bytes: 12568239, packages: 32 }
 * ```
 */
export function installedWeight(folder) {
  const modules = path.join(folder, 'node_modules');
  const lock = JSON.parse(readFileSync(path.join(modules, '.package-lock.json'), 'utf8'));
  const packages = Object.keys(lock.packages).filter((key) => key.includes('node_modules/')).length;
  return { bytes: folderBytes(modules), packages };
}

function folderBytes(folder) {
  let bytes = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    bytes += entry.isDirectory() ? folderBytes(full) : lstatSync(full).size;
  }
  return bytes;
}
