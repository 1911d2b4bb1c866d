/**
 * Runs the shared HTTP API suite (`test/e2e/http-api-suite.ts`) against the deployed API that
 * `SQUASH_E2E_BASE_URL` names, serving the quick-start MNIST index. Started by
 * `npm run test:localstack` and `npm run test:e2e` through `infra/vitest.e2e.config.ts`; see
 * `resolveE2eTarget` for the variables.
 */
import { SquashClient } from '@squash/client';
import { runHttpApiSuite } from '../../test/e2e/http-api-suite.ts';
import { loadMnistNpm } from '../../test/support/datasets.ts';
import { resolveE2eTarget } from './e2e-target.ts';

const target = await resolveE2eTarget(process.env);
const digits = await loadMnistNpm();

const client = new SquashClient({ url: target.baseUrl, auth: target.auth, maxRetries: 0 });

runHttpApiSuite({
  baseUrl: () => target.baseUrl,
  client: () => client,
  indexName: target.indexName,
  ...(target.sign === undefined ? {} : { sign: target.sign }),
  ...(target.unauthenticatedStatus === undefined
    ? {}
    : { unauthenticatedStatus: target.unauthenticatedStatus }),
  data: () => ({ base: digits.base, labels: digits.labels, n: digits.n }),
});
