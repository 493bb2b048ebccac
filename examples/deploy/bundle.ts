// Bundles the Lambda code that template.yaml points at: pnpm --filter @stepwise/example-deploy bundle
//   dist/server/    index.mjs (lambda.ts) + run.sh, started by Lambda Web Adapter
//   dist/handlers/  handlers.mjs (handlers.ts)
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('./', import.meta.url).pathname;
const common = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: 'node24',
  conditions: ['stepwise-source'],
  sourcemap: true,
  legalComments: 'none' as const,
  // Some dependencies are CommonJS and `require` Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'info' as const,
};

rmSync(`${root}dist`, { recursive: true, force: true });
for (const dir of ['server', 'handlers']) {
  mkdirSync(`${root}dist/${dir}`, { recursive: true });
  // `sam build` packs the directory with npm, which needs a name and a version; the bundle has no dependencies.
  const manifest = { name: `stepwise-example-${dir}`, version: '1.0.0', private: true, type: 'module' };
  writeFileSync(`${root}dist/${dir}/package.json`, `${JSON.stringify(manifest)}\n`);
}
await build({ ...common, entryPoints: [`${root}lambda.ts`], outfile: `${root}dist/server/index.mjs` });
await build({ ...common, entryPoints: [`${root}handlers.ts`], outfile: `${root}dist/handlers/handlers.mjs` });
writeFileSync(`${root}dist/server/run.sh`, '#!/bin/sh\nexec node index.mjs\n');
chmodSync(`${root}dist/server/run.sh`, 0o755);
