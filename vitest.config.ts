import { defineConfig } from 'vitest/config';

// Fast suite: runs on every `npm test`. Slow suites (browser, crash recovery) live in vitest.slow.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/build-cli.ts'],
  },
});
