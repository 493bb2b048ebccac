/**
 * The package build's step for the playground: from the page's real files in `src/playground/assets` to the few
 * files `dist/playground/assets` serves. The page then loads five files instead of one per module:
 * - `app.js`: app.js and every module it imports, bundled into one module (what the first view needs);
 * - `extras.js`: what the page imports once it is interactive (the inspector, the JSON view, the copy commands),
 *   bundled into one module of its own; app.js keeps its `import('./extras.js')`;
 * - `boot.js` (the first API reads, standalone) and `playground.css`, minified;
 * - `index.html`, without the `modulepreload` hints of modules that are now inside a bundle.
 * Served from the sources (`pnpm start`, tests), the page loads the same modules unbundled: no build step is needed
 * to work on it, and none to use the built package, which ships the result.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** The modules that are bundles of their own: the page's entry, the deferred extras, the first API reads. */
const ENTRIES = ['app.js', 'extras.js', 'boot.js', 'playground.css'];

/** app.js loads extras.js itself, later: the bundle keeps that import as it is. */
const keepExtrasApart: Plugin = {
  name: 'keep-extras-apart',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/extras\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './extras.js', external: true } : undefined,
    );
  },
};

/**
 * Builds the playground's files from `source` into `target` (emptied first); returns the names written.
 *
 * @example
 * ```ts
 * await buildPlaygroundAssets('src/playground/assets', 'dist/playground/assets');
 * ```
 */
export async function buildPlaygroundAssets(source: string, target: string): Promise<string[]> {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await build({
    entryPoints: ENTRIES.map((name) => join(source, name)),
    outdir: target,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // what the page's source is written in (ES modules, `??=`, optional chaining): nothing to lower
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    plugins: [keepExtrasApart],
    logLevel: 'warning',
  });
  const written = new Set(readdirSync(target));
  const page = readFileSync(join(source, 'index.html'), 'utf8')
    .split('\n')
    .filter((line) => {
      const preload = /<link rel="modulepreload" href="%ASSET_BASE%\/([^"]+)">/.exec(line);
      return preload === null || written.has(preload[1]!);
    })
    .join('\n');
  for (const [, name] of page.matchAll(/%ASSET_BASE%\/([^"]+)"/g)) {
    if (!written.has(name!)) throw new Error(`The playground page names ${name}, which the build did not write.`);
  }
  writeFileSync(join(target, 'index.html'), page);
  for (const name of readdirSync(source)) {
    // images and other files beside the page are served as they are
    if (/\.(svg|png)$/.test(name) && !existsSync(join(target, name))) {
      writeFileSync(join(target, name), readFileSync(join(source, name)));
    }
  }
  return readdirSync(target).sort();
}
