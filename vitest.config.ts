import { defineConfig } from 'vitest/config';

// chDB binds one data directory per process and crashes under the threads
// pool, so every test file runs in its own forked process with its own dir.
export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
