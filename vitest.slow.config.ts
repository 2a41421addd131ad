import { defineConfig } from 'vitest/config';

// Slow suites: browser, synth and crash-recovery tests. CI runs them after the fast suite.
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['test/helpers/build-cli.ts'],
    fileParallelism: false,
    passWithNoTests: true,
  },
});
