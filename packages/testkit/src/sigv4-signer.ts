import { type AwsCredentials, sdkSigner, toSignableRequest } from '@squash/client';

/**
 * SigV4 for calls to the IAM-authorised squash HTTP API in tests: a `fetch` hook over
 * `@squash/client`'s signer (the AWS SDK's own `@smithy/signature-v4`), so the tests, the client
 * and the bridge's verifier all sign the same way.
 */

export type { AwsCredentials } from '@squash/client';

export interface SigV4Options {
  readonly credentials: AwsCredentials;
  readonly region: string;
  /** @default 'execute-api' */
  readonly service?: string;
  /** Clock, for tests. @default () => new Date() */
  readonly now?: () => Date;
}

/** The `(url, init) => init` hook of the HTTP suite: a `fetch` init carrying SigV4 headers. */
export type FetchSigner = (url: string, init?: RequestInit) => Promise<RequestInit>;

/**
 * A `fetch` signer bound to fixed credentials and region. `host` is signed but left out of the
 * returned headers, because `fetch` sends the URL's host itself (and refuses to be told).
 *
 * @throws TypeError when the body is not a string: a stream cannot be hashed without reading it.
 */
export function createFetchSigner(options: SigV4Options): FetchSigner {
  const signer = sdkSigner(options);
  return async (url, init = {}) => {
    const body = init.body ?? undefined;
    if (body !== undefined && typeof body !== 'string') {
      throw new TypeError(`SigV4 signing of fetch requests needs a string body or none; got ${typeof body}`);
    }
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const signed = await signer.sign(toSignableRequest(init.method ?? 'GET', new URL(url), headers, body), {
      signingDate: (options.now ?? (() => new Date()))(),
    });
    const { host: _host, ...sent } = signed.headers;
    return { ...init, headers: sent };
  };
}

/**
 * The region of an API Gateway URL (`https://<id>.execute-api.<region>.amazonaws.com`), or
 * `undefined` for any other host (a bridge on 127.0.0.1, LocalStack).
 */
export function regionOfExecuteApiUrl(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1];
}
