/**
 * What a Lambda loads, bundled: esbuild bundles `lambda-handler.ts` (@stepwise/server's Express-free handler +
 * @stepwise/runtime-sfn, one chain) for Node, minified, with the AWS SDK external as the Lambda Node.js runtime
 * provides it. Prints the bundle's size (target < 500 KB minified), its gzipped size, what makes it up by package,
 * and checks that the bundle works: started with `node`, it listens and answers `/healthz`, and stops on SIGTERM. Also
 * times that start (spawn to listening), a cold start without Lambda's own init.
 *
 * For comparison, the same handler file is bundled a second time with its server import swapped for `createServer`
 * from `@stepwise/server` (the Express 5 app): the row that shows what Express costs. Only the first row has the
 * target.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { median, printTable } from './lib/measure';

const TARGET_BYTES = 500 * 1000;
const STARTS = Number(process.env.STARTS ?? 11);

const here = path.dirname(fileURLToPath(import.meta.url));
// Inside bench/ so that the external `@aws-sdk/*` imports resolve from bench/node_modules when the bundle runs.
const outFolder = path.join(here, '.tmp', `lambda-bundle-${process.pid}`);
const handlerFile = path.join(here, 'lambda-handler.ts');

const HANDLER_IMPORT = "import { createHandler, serve } from '@stepwise/server/handler';";
const EXPRESS_IMPORT = "import { createServer as createHandler, serve } from '@stepwise/server';";

interface Variant {
  name: string;
  file: string;
  target: boolean;
  entry: Pick<BuildOptions, 'entryPoints' | 'stdin'>;
}

const source = readFileSync(handlerFile, 'utf8');
if (!source.includes(HANDLER_IMPORT)) throw new Error(`lambda-handler.ts no longer has the line: ${HANDLER_IMPORT}`);
const variants: Variant[] = [
  {
    name: 'server/handler (no Express) + runtime-sfn + one chain',
    file: 'handler.mjs',
    target: true,
    entry: { entryPoints: [handlerFile] },
  },
  {
    name: 'for comparison: createServer (Express app) + runtime-sfn + one chain',
    file: 'express.mjs',
    target: false,
    entry: {
      stdin: {
        contents: source.replace(HANDLER_IMPORT, EXPRESS_IMPORT),
        resolveDir: here,
        sourcefile: 'lambda-handler-express.ts',
        loader: 'ts',
      },
    },
  },
];

/** The package an input of the bundle belongs to: `express`, `@stepwise/server`, ... */
function packageOf(input: string): string {
  const inModules = input.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const parts = input.slice(inModules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const inPackages = /(?:^|\/)packages\/([^/]+)\//.exec(input);
  if (inPackages) return `@stepwise/${inPackages[1]}`;
  const handler = input.includes('bench/') || input.startsWith('lambda-handler') || input === '<stdin>';
  return handler ? '(the handler)' : input;
}

interface Bundle {
  variant: Variant;
  code: Uint8Array;
  bytes: number;
  gzipped: number;
  /** Bytes in the output by package, the biggest first. */
  byPackage: Array<[string, number]>;
  /** Bytes of the inputs a package's modules reach through their imports (the package itself included). */
  reachableBytes(name: string): number;
  /** Imports left to the runtime (besides Node built-ins). */
  external: string[];
}

async function bundle(variant: Variant): Promise<Bundle> {
  const result = await build({
    ...variant.entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    legalComments: 'none',
    external: ['@aws-sdk/*'],
    // pino's and Express's dependencies are CommonJS and `require` Node built-ins
    banner: {
      js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
    },
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const metafile: Metafile = result.metafile;
  const output = Object.values(metafile.outputs)[0]!;
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    sizes.set(packageOf(input), (sizes.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return {
    variant,
    code,
    bytes: code.byteLength,
    gzipped: gzipSync(code).byteLength,
    byPackage: [...sizes.entries()].sort((a, b) => b[1] - a[1]),
    reachableBytes(name) {
      const seen = new Set<string>();
      const queue = Object.keys(metafile.inputs).filter((input) => packageOf(input) === name);
      while (queue.length > 0) {
        const input = queue.pop()!;
        if (seen.has(input)) continue;
        seen.add(input);
        for (const entry of metafile.inputs[input]?.imports ?? []) if (!entry.external) queue.push(entry.path);
      }
      return [...seen].reduce((sum, input) => sum + (output.inputs[input]?.bytesInOutput ?? 0), 0);
    },
    external: [...new Set(output.imports.filter((entry) => entry.external).map((entry) => entry.path))]
      .filter((name) => !name.startsWith('node:') && !/^[a-z_]+$/.test(name))
      .sort(),
  };
}

const bundles: Bundle[] = [];
for (const variant of variants) bundles.push(await bundle(variant));

const kb = (value: number) => `${(value / 1000).toFixed(1)} KB`;
const share = (size: number, of: number) => `${((size / of) * 100).toFixed(1)}%`;
console.log(
  'esbuild, `bundle: true, platform: node, format: esm, minify: true`, `@aws-sdk/*` external, of `lambda-handler.ts`\n',
);
printTable(
  ['bundle', 'minified', 'gzipped', 'express in it', 'target'],
  bundles.map(({ variant, bytes, gzipped, byPackage }) => [
    variant.name,
    variant.target ? `**${kb(bytes)}**` : kb(bytes),
    kb(gzipped),
    byPackage.some(([name]) => name === 'express') ? 'yes' : 'no',
    variant.target ? (bytes < TARGET_BYTES ? '< 500 KB: pass' : '< 500 KB: **MISSED**') : '(none)',
  ]),
);
for (const { variant, bytes, byPackage, reachableBytes, external } of bundles) {
  console.log(
    `\n${variant.name}: what the minified bundle is made of (bytes in the output by package, biggest first):\n`,
  );
  const shown = byPackage.slice(0, 12);
  const rest = byPackage.slice(12).reduce((sum, [, size]) => sum + size, 0);
  printTable(
    ['package', 'bytes', 'share'],
    [
      ...shown.map(([name, size]) => [name, kb(size), share(size, bytes)]),
      ...(rest > 0 ? [[`${byPackage.length - shown.length} more packages`, kb(rest), share(rest, bytes)]] : []),
    ],
  );
  const own = byPackage.filter(([name]) => name.startsWith('@stepwise/')).reduce((sum, [, size]) => sum + size, 0);
  console.log('\nThe same bytes by what pulls them in (each row counts a package and everything it imports):\n');
  printTable(
    ['pulled in by', 'bytes', 'share'],
    [
      ["express (createServer's HTTP framework)", reachableBytes('express')],
      ["pino (the server's logger)", reachableBytes('pino')],
      ['@stepwise/* (core, server, runtime-sfn), their own code', own],
    ].map(([name, size]) => [name as string, kb(size as number), share(size as number, bytes)]),
  );
  console.log(`\nExternal imports left to the Lambda runtime: ${external.join(', ')}.`);
}

/** Starts a bundle, waits for "listening on <url>", asks /healthz, stops it with SIGTERM; resolves with the start time. */
async function startOnce(file: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [file], {
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
  const starts = bundles.map(() => [] as number[]);
  for (const { variant, code } of bundles) writeFileSync(path.join(outFolder, variant.file), code);
  // round robin, so that a busy moment of the shared machine does not fall on one bundle
  for (let i = 0; i < STARTS; i++) {
    for (const [index, { variant }] of bundles.entries())
      starts[index]!.push(await startOnce(path.join(outFolder, variant.file)));
  }
  console.log(
    `\nEach bundle runs: started with \`node\` it listened, answered \`/healthz\` 200 and exited 0 on SIGTERM, ${STARTS} times ` +
      '(the two bundles taking turns). Spawn to listening:\n',
  );
  printTable(
    ['bundle', 'median', 'min', 'max'],
    bundles.map(({ variant }, index) => {
      const values = starts[index]!;
      return [
        variant.name,
        `${median(values).toFixed(0)} ms`,
        `${Math.min(...values).toFixed(0)} ms`,
        `${Math.max(...values).toFixed(0)} ms`,
      ];
    }),
  );
} finally {
  rmSync(outFolder, { recursive: true, force: true });
}

if (!(bundles[0]!.bytes < TARGET_BYTES)) process.exitCode = 1;
