import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

/**
 * One file of the playground, read once: its bytes, their gzip form when that is smaller, its content type and a
 * strong validator.
 * @internal
 */
export interface PlaygroundAsset {
  type: string;
  body: Buffer;
  gzip: Buffer | undefined;
  etag: string;
}

/**
 * The playground's files, by name, and the version that names their URLs (`playground/<version>/<file>`), a hash of
 * every file: a new version of any file is a new URL, so browsers may keep the files forever. `csp` is the page's
 * Content-Security-Policy, which allows the scripts the page carries inline by their hashes.
 * @internal
 */
export interface PlaygroundAssets {
  version: string;
  page: PlaygroundAsset;
  csp: string;
  files: Map<string, PlaygroundAsset>;
}

/**
 * What the page may load: its own scripts, styles and API, and the inline scripts of `scriptHashes` (CSP source
 * expressions, `'sha256-...'`); nothing else inline, from nowhere else.
 * @internal
 */
export function playgroundCsp(scriptHashes: readonly string[] = []): string {
  const scripts = ["'self'", ...scriptHashes].join(' ');
  return (
    `default-src 'none'; script-src ${scripts}; style-src 'self'; img-src 'self' data:; connect-src 'self'; ` +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  );
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The page's placeholder for the folder of its files. */
const ASSET_BASE = '%ASSET_BASE%';

/**
 * A script the page carries inline: `<script src="%ASSET_BASE%/boot.js" data-inline></script>` becomes
 * `<script>...boot.js...</script>`, allowed by its hash. boot.js starts the first API reads: inline, they start as the
 * page's head is parsed instead of one round trip later.
 */
const INLINE_SCRIPT = /<script src="%ASSET_BASE%\/([\w.-]+\.js)" data-inline><\/script>/g;

let loaded: PlaygroundAssets | null | undefined;

/**
 * Reads the playground's files (once per process): `index.html` and the CSS and JS modules beside it, in
 * `src/playground/assets/` when the server runs from its TypeScript sources and in `dist/playground/assets/` when it
 * runs built (the package build copies them there). `null` when they are not there: a bundle (a Lambda's) that did
 * not copy them.
 * @internal
 */
export function playgroundAssets(): PlaygroundAssets | null {
  if (loaded === undefined) {
    let directory: string | undefined;
    try {
      directory = findAssetDirectory(dirname(fileURLToPath(import.meta.url)));
    } catch {
      directory = undefined;
    }
    loaded = directory === undefined ? null : readAssets(directory);
  }
  return loaded;
}

/**
 * The folder of the playground's files, from the folder of the module that serves them: `./assets` beside
 * `src/playground/playground-assets.ts`, `./playground/assets` beside `dist/index.js` (or a chunk of it).
 * @internal
 */
export function findAssetDirectory(here: string): string {
  const candidates = [join(here, 'assets'), join(here, 'playground', 'assets')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
  if (found === undefined) {
    throw new Error(`The playground's files are missing (looked in ${candidates.join(' and ')}).`);
  }
  return found;
}

/**
 * Reads the files of `directory`: the page with its `%ASSET_BASE%` replaced by `playground/<version>` and its
 * `data-inline` scripts carried inline, and the CSS, JS and images beside it (type declarations and anything else are
 * not served, nor are the scripts the page carries).
 * @internal
 */
export function readAssets(directory: string): PlaygroundAssets {
  const names = readdirSync(directory)
    .filter((name) => name !== 'index.html' && CONTENT_TYPES[extname(name)] !== undefined)
    .sort();
  const hash = createHash('sha256');
  const raw = new Map<string, Buffer>();
  for (const name of names) {
    const body = readFileSync(join(directory, name));
    raw.set(name, body);
    hash.update(name).update('\0').update(body).update('\0');
  }
  const version = hash.digest('hex').slice(0, 12);
  const inline = new Set<string>();
  const hashes: string[] = [];
  const html = readFileSync(join(directory, 'index.html'), 'utf8')
    .replace(INLINE_SCRIPT, (tag, name: string) => {
      const text = raw.get(name)?.toString('utf8');
      // text that would end the script element early, or change how it is parsed, stays a file
      if (text === undefined || /<\/script|<!--/i.test(text)) return tag.replace(' data-inline', '');
      inline.add(name);
      hashes.push(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
      return `<script>${text}</script>`;
    })
    .replaceAll(ASSET_BASE, `playground/${version}`);
  const files = new Map<string, PlaygroundAsset>();
  for (const [name, body] of raw) if (!inline.has(name)) files.set(name, asset(body, CONTENT_TYPES[extname(name)]!));
  return { version, page: asset(Buffer.from(html), CONTENT_TYPES['.html']!), csp: playgroundCsp(hashes), files };
}

function asset(body: Buffer, type: string): PlaygroundAsset {
  const compressible = type.startsWith('text/') || type === 'image/svg+xml';
  const gzip = compressible ? gzipSync(body, { level: constants.Z_BEST_COMPRESSION }) : undefined;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { type, body, gzip: gzip !== undefined && gzip.length < body.length ? gzip : undefined, etag };
}
