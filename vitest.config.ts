import { defineConfig } from 'vitest/config';

// chDB binds one data directory per process and crashes under the threads
// pool, so every test file runs in its own forked process with its own dir.
export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/temp-root.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit-e2e',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/kafka/**', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'kafka',
          include: ['test/kafka/**/*.test.ts'],
          // One broker, several child processes per test, two cores: one file at a time.
          fileParallelism: false,
          globalSetup: ['./test/support/kafka-global-setup.ts'],
          testTimeout: 180_000,
        },
      },
    ],
  },
});
