import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

/**
 * SigV4 for calls to the IAM-authorised squash HTTP API, done by the AWS SDK's own signer
 * (`@smithy/signature-v4` with the SDK's Node SHA-256), so what the tests sign is what the SDK and
 * `awscurl` sign. Service `execute-api`; the path is double-encoded as for every service but S3.
 *
 * `@squash/client`'s `signRequest` wraps the same signer. This package does not import it because
 * the TypeScript project graph would then have a cycle (storage's tests use testkit, client's
 * tests use serve, serve uses storage); the verifier also needs `signableHeaders`, which
 * `signRequest` does not expose. Once client's tests get their own tsconfig, this file can sign
 * through `signRequest`.
 */

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

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

/** The SDK signer for `options`; exported for the bridge's verifier, which must sign identically. */
export function sdkSigner(options: SigV4Options): SignatureV4 {
  return new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service ?? 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    // No x-amz-content-sha256 header: API Gateway hashes the body itself.
    applyChecksum: false,
  });
}

/**
 * Builds the smithy request for an absolute URL: path and query exactly as `fetch` will send
 * them (both come from the WHATWG URL parser), `host` set because SigV4 always signs it.
 */
export function toSignableRequest(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array | undefined,
): HttpRequest {
  const parsed = new URL(url);
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(parsed.searchParams.keys())) {
    const values = parsed.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  lower.host = parsed.host;
  return {
    method: method.toUpperCase(),
    protocol: parsed.protocol,
    hostname: parsed.hostname,
    ...(parsed.port === '' ? {} : { port: Number(parsed.port) }),
    path: parsed.pathname === '' ? '/' : parsed.pathname,
    query,
    headers: lower,
    ...(body === undefined ? {} : { body }),
  };
}

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
    const signed = await signer.sign(toSignableRequest(init.method ?? 'GET', url, headers, body), {
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
