import { defineConfig } from 'vitest/config';

/**
 * One vitest run covers every workspace. Unit tests are `*.test.ts`; integration tests that start
 * 127.0.0.1 servers are `*.integration.test.ts` and run in the same command. Benchmarks are
 * scripts under `bench/` and never run here.
 */
export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'functions/**/*.test.ts',
      'infra/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
