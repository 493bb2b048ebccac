import { defineConfig } from 'tsup';

// The CLI is ESM only: `dist/bin.js` (the `stepwise` command, with a shebang) and `dist/index.js` (its API).
export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node22',
});
