import { defineConfig } from 'tsup';
import { buildPlaygroundAssets } from './scripts/build-playground-assets';

export default defineConfig({
  entry: { index: 'src/index.ts', client: 'src/client/index.ts', handler: 'src/handler/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // import.meta.url in the CommonJS build: the server finds the playground's files beside itself
  shims: true,
  async onSuccess() {
    // the playground's page, styles and browser modules, bundled into a few files served from dist/playground/assets
    await buildPlaygroundAssets('src/playground/assets', 'dist/playground/assets');
  },
});
