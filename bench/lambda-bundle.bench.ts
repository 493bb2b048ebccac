/**
 * What a Lambda loads, bundled: esbuild bundles `lambda-handler.ts` (@stepwise/server + @stepwise/runtime-sfn, one
 * chain) for Node, minified, with the AWS SDK external as the Lambda Node.js runtime provides it. Prints the bundle's
 * size (target < 500 KB minified), its gzipped size, what makes it up by package, and checks that the bundle works:
 * started with `node`, it listens and answers `/healthz`, and stops on SIGTERM. Also times that start (spawn to
 * listening), a cold start without Lambda's own init.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { median, printTable } from './lib/measure';

const TARGET_BYTES = 500 * 1000;
const STARTS = Number(process.env.STARTS ?? 11);

const here = path.dirname(fileURLToPath(import.meta.url));
// Inside bench/ so that the external `@aws-sdk/*` imports resolve from bench/node_modules when the bundle runs.
const outFolder = path.join(here, '.tmp', `lambda-bundle-${process.pid}`);
const outfile = path.join(outFolder, 'index.mjs');

const result = await build({
  entryPoints: [path.join(here, 'lambda-handler.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  legalComments: 'none',
  external: ['@aws-sdk/*'],
  // Express and its dependencies are CommonJS and `require` Node built-ins.
  banner: {
    js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  },
  write: false,
  metafile: true,
  logLevel: 'error',
});
const code = result.outputFiles[0]!.contents;
const bytes = code.byteLength;
const gzipped = gzipSync(code).byteLength;

/** The package an input of the bundle belongs to: `express`, `@stepwise/server`, ... */
function packageOf(input: string): string {
  const inModules = input.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const parts = input.slice(inModules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const inPackages = /(?:^|\/)packages\/([^/]+)\//.exec(input);
  if (inPackages) return `@stepwise/${inPackages[1]}`;
  return input.includes('bench/') ? '(the handler)' : input;
}
const byPackage = new Map<string, number>();
const output = Object.values(result.metafile.outputs)[0]!;
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
}
/** Bytes of the inputs a package's modules reach through their imports (the package itself included). */
function reachableBytes(name: string): number {
  const seen = new Set<string>();
  const queue = Object.keys(result.metafile.inputs).filter((input) => packageOf(input) === name);
  while (queue.length > 0) {
    const input = queue.pop()!;
    if (seen.has(input)) continue;
    seen.add(input);
    for (const entry of result.metafile.inputs[input]?.imports ?? []) if (!entry.external) queue.push(entry.path);
  }
  return [...seen].reduce((sum, input) => sum + (output.inputs[input]?.bytesInOutput ?? 0), 0);
}
const external = [...new Set(output.imports.filter((entry) => entry.external).map((entry) => entry.path))].sort();

const kb = (value: number) => `${(value / 1000).toFixed(1)} KB`;
console.log(
  'esbuild, `bundle: true, platform: node, format: esm, minify: true`, `@aws-sdk/*` external, of `lambda-handler.ts`\n',
);
printTable(
  ['bundle', 'minified', 'gzipped', 'target'],
  [
    [
      'server + runtime-sfn + one chain',
      `**${kb(bytes)}**`,
      kb(gzipped),
      bytes < TARGET_BYTES ? '< 500 KB: pass' : '< 500 KB: **MISSED**',
    ],
  ],
);
console.log('\nWhat the minified bundle is made of (bytes in the output, by package; the biggest first):\n');
const rows = [...byPackage.entries()].sort((a, b) => b[1] - a[1]);
const shown = rows.slice(0, 14);
const rest = rows.slice(14).reduce((sum, [, size]) => sum + size, 0);
printTable(
  ['package', 'bytes', 'share'],
  [
    ...shown.map(([name, size]) => [name, kb(size), `${((size / bytes) * 100).toFixed(1)}%`]),
    ...(rest > 0
      ? [[`${rows.length - shown.length} more packages`, kb(rest), `${((rest / bytes) * 100).toFixed(1)}%`]]
      : []),
  ],
);
console.log('\nThe same bytes by what pulls them in (each row counts a package and everything it imports):\n');
const stepwiseOwn = rows.filter(([name]) => name.startsWith('@stepwise/')).reduce((sum, [, size]) => sum + size, 0);
printTable(
  ['pulled in by', 'bytes', 'share'],
  [
    ["express (the server's HTTP framework)", reachableBytes('express')],
    ["pino (the server's logger)", reachableBytes('pino')],
    ['@stepwise/* (core, server, runtime-sfn), their own code', stepwiseOwn],
  ].map(([name, size]) => [name as string, kb(size as number), `${(((size as number) / bytes) * 100).toFixed(1)}%`]),
);
console.log(
  `\nExternal imports left to the Lambda runtime: ${external.filter((name) => !name.startsWith('node:') && !/^[a-z_]+$/.test(name)).join(', ')}.`,
);

/** Starts the bundle, waits for "listening on <url>", asks /healthz, stops it with SIGTERM; resolves with the start time. */
async function startOnce(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [outfile], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', AWS_REGION: 'us-east-1', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        seen += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(seen);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`the bundle exited (${code}) before listening:\n${seen}`)));
    });
    const ms = performance.now() - started;
    const health = await fetch(`${url}/healthz`);
    if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
    await health.text();
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`the bundle exited ${code} after SIGTERM`);
    return ms;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

mkdirSync(outFolder, { recursive: true });
try {
  writeFileSync(outfile, code);
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i++) starts.push(await startOnce());
  console.log(
    `\nThe bundle runs: started with \`node\` it listened, answered \`/healthz\` 200 and exited 0 on SIGTERM, ${STARTS} times. ` +
      `Spawn to listening: median **${median(starts).toFixed(0)} ms** (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}).`,
  );
} finally {
  rmSync(outFolder, { recursive: true, force: true });
}

if (bytes >= TARGET_BYTES) process.exitCode = 1;
