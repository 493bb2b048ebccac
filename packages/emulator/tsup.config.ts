import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // The emulator runs state machines on aws-local-stepfunctions with the fixes in patches/ (decision 0002).
  // Bundling the patched copy ships those fixes to npm users; its own dependencies stay external.
  noExternal: ['aws-local-stepfunctions'],
});
