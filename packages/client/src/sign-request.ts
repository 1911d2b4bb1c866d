import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

/** AWS credentials, or a function that returns them (e.g. the SDK's default provider chain). */
export type AwsCredentials = {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
};
export type CredentialProvider = () => Promise<AwsCredentials>;

/** What to sign: a whole request, body included (API Gateway checks the payload hash). */
export interface UnsignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

export interface SignOptions {
  readonly region: string;
  readonly credentials: AwsCredentials | CredentialProvider;
  /** @default 'execute-api' */
  readonly service?: string;
  /** @default now */
  readonly signingDate?: Date;
}

/**
 * The AWS SDK's own SigV4 signer (`@smithy/signature-v4`) configured for API Gateway: service
 * `execute-api`, the path double-encoded as for every service but S3, and no
 * `x-amz-content-sha256` header (API Gateway hashes the body itself). Canonicalisation and key
 * derivation are security code we do not own; the bridge of the emulated deployment verifies
 * signatures with this same signer.
 */
export function sdkSigner(options: Omit<SignOptions, 'signingDate'>): SignatureV4 {
  return new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
}

/**
 * The smithy request for `url`: path and query exactly as `fetch` sends them (both from the WHATWG
 * URL parser; every value of a repeated query parameter kept, since SigV4 signs them all),
 * header names lower-cased, `host` set because SigV4 always signs it.
 */
export function toSignableRequest(
  method: string,
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array | undefined,
): HttpRequest {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  lower.host = url.host;
  return {
    method: method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname === '' ? '/' : url.pathname,
    query,
    headers: lower,
    ...(body === undefined ? {} : { body }),
  };
}

/**
 * Signs a request with SigV4 for API Gateway IAM auth. Returns the headers to send: the input's
 * (lower-cased) plus `authorization`, `x-amz-date`, and `x-amz-security-token` when the
 * credentials carry a session token, and `host`, which `fetch` sets itself.
 */
export async function signRequest(
  request: UnsignedRequest,
  options: SignOptions,
): Promise<Record<string, string>> {
  const signed = await sdkSigner(options).sign(
    toSignableRequest(request.method, request.url, request.headers, request.body),
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}
