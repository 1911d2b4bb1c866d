import type { ClientAuth } from '@squash/client';
import { createFetchSigner, regionOfExecuteApiUrl } from '@squash/testkit';

/** How the e2e suite reaches and authenticates to the API under test. */
export interface E2eTarget {
  readonly baseUrl: string;
  /** Name under which the quick-start MNIST index is served. */
  readonly indexName: string;
  /** The suite's `sign` hook: adds SigV4 or API-key headers to a `fetch` init. */
  readonly sign?: (url: string, init: RequestInit) => Promise<RequestInit> | RequestInit;
  /** What the API answers a request without credentials (see `HttpApiSuiteOptions`). */
  readonly unauthenticatedStatus?: 401 | 403;
  /** The same authorisation for the typed client. */
  readonly auth: ClientAuth;
}

/** Values of `SQUASH_E2E_AUTH`. */
export type E2eAuth = 'none' | 'iam' | 'api-key';

/**
 * Reads the target from the environment the runner scripts set:
 * - `SQUASH_E2E_BASE_URL`: the API's base URL (required);
 * - `SQUASH_E2E_INDEX`: the index the suite queries (default `mnist`, the quick-start index);
 * - `SQUASH_E2E_AUTH`: `none` (default), `iam` (SigV4 with credentials from the standard AWS
 *   chain; region from the URL or `AWS_REGION`) or `api-key` (header `x-api-key` from
 *   `SQUASH_API_KEY`).
 *
 * @throws Error naming the missing or invalid variable.
 */
export async function resolveE2eTarget(
  env: Readonly<Record<string, string | undefined>>,
): Promise<E2eTarget> {
  const baseUrl = env.SQUASH_E2E_BASE_URL?.replace(/\/+$/, '');
  if (baseUrl === undefined || baseUrl === '') {
    throw new Error(
      'SQUASH_E2E_BASE_URL is not set: run this suite through npm run test:localstack or npm run test:e2e',
    );
  }
  const indexName =
    env.SQUASH_E2E_INDEX === undefined || env.SQUASH_E2E_INDEX === '' ? 'mnist' : env.SQUASH_E2E_INDEX;
  const auth = (env.SQUASH_E2E_AUTH ?? 'none') as E2eAuth;
  switch (auth) {
    case 'none':
      return { baseUrl, indexName, auth: { type: 'none' } };
    case 'api-key': {
      const key = env.SQUASH_API_KEY;
      if (key === undefined || key === '')
        throw new Error('SQUASH_E2E_AUTH is api-key but SQUASH_API_KEY is not set');
      return {
        baseUrl,
        indexName,
        unauthenticatedStatus: 401,
        auth: { type: 'apiKey', apiKey: key },
        sign: (_url, init) => {
          const headers = new Headers(init.headers);
          headers.set('x-api-key', key);
          return { ...init, headers };
        },
      };
    }
    case 'iam': {
      const region = regionOfExecuteApiUrl(baseUrl) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
      if (region === undefined) throw new Error('cannot tell the API region: set AWS_REGION');
      // The SDK's default chain (env, profile, SSO, instance role), resolved once: the suite is
      // shorter than any temporary credential's lifetime.
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      const credentials = await defaultProvider()();
      const sign = createFetchSigner({ credentials, region });
      return {
        baseUrl,
        indexName,
        sign,
        unauthenticatedStatus: 403,
        auth: { type: 'iam', region, credentials },
      };
    }
    default:
      throw new Error(`SQUASH_E2E_AUTH is "${String(auth)}"; expected none, iam or api-key`);
  }
}
