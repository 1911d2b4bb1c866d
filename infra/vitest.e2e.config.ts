import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The HTTP API suite against a deployed stack, run only by `npm run test:localstack` and
 * `npm run test:e2e` (which deploy or locate the stack and set `SQUASH_E2E_*`). `npm test` never
 * picks it up: the entry file is `*.e2e-run.ts`, not `*.test.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['infra/e2e/**/*.e2e-run.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
