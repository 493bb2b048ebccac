import { defineConfig } from 'tsup';

export default defineConfig({
  // `bedrock` is its own entry: the main one imports nothing from the AWS SDK (decision 0006); `ai-sdk` likewise
  // imports nothing from the AI SDK at run time (its types only, from the optional peer @ai-sdk/provider).
  entry: { index: 'src/index.ts', bedrock: 'src/bedrock/index.ts', 'ai-sdk': 'src/ai-sdk/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});
