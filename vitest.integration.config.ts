import { defineConfig } from 'vitest/config';

/**
 * Integration tests (`pnpm test:integration`): files named `*.integration.test.ts`, which the default config excludes.
 * They run against the targets the environment names (see packages/runtime-sfn/README.md, "Integration tests"):
 * `STEPWISE_SFN_ENDPOINT` / `STEPWISE_BEDROCK_ENDPOINT` for a Step Functions service on an endpoint, or real AWS
 * with `STEPWISE_ROLE_ARN` (and the usual AWS credentials and region). Without a target they skip.
 */
export default defineConfig({
  resolve: { conditions: ['stepwise-source'] },
  ssr: { resolve: { conditions: ['stepwise-source'] } },
  test: {
    include: [
      'packages/*/src/**/*.integration.test.ts',
      'packages/*/test/**/*.integration.test.ts',
      'examples/**/*.integration.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Real services are slow and rate-limited: one file at a time.
    fileParallelism: false,
    typecheck: { enabled: false },
  },
});
