import { defineConfig } from 'tsup';

export default defineConfig({
  // `bedrock` is its own entry: the main one imports nothing from the AWS SDK (decision 0006).
  entry: { index: 'src/index.ts', bedrock: 'src/bedrock/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});
