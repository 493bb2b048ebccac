import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['stepwise-source'] },
  ssr: { resolve: { conditions: ['stepwise-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.integration.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    typecheck: { enabled: false },
  },
});
