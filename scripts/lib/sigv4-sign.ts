import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for HTTP requests, synchronous so it fits a plain
 * `sign: (request) => request` hook. Used to call the IAM-authorised squash HTTP API from the
 * e2e suite and `scripts/signed-request.ts` (service `execute-api`). Written from the published
 * algorithm (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) and
 * checked against AWS's test vectors in `infra/test/sigv4-sign.test.ts`.
 *
 * Signed headers: `host`, `content-type` when present and every `x-amz-*` header. Headers a client
 * or proxy may add or rewrite (user-agent, accept-encoding, content-length) are left unsigned, so
 * `fetch` can add them without breaking the signature.
 */

/** A request as the e2e suite hands it to `sign`. Header names are matched case-insensitively. */
export interface SignableRequest {
  readonly method: string;
  /** Absolute URL; its path and query are signed as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

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

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Returns a copy of `request` with `authorization`, `x-amz-date` (and the session token) added. */
export function signRequest(request: SignableRequest, options: SigV4Options): SignableRequest {
  const url = new URL(request.url);
  const amzDate = toAmzDate((options.now ?? (() => new Date()))());
  const date = amzDate.slice(0, 8);
  const service = options.service ?? 'execute-api';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host = url.host;
  headers['x-amz-date'] = amzDate;
  if (options.credentials.sessionToken !== undefined) {
    headers['x-amz-security-token'] = options.credentials.sessionToken;
  }
  const signed = Object.keys(headers)
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-amz-'))
    .sort();
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    signed.map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    signed.join(';'),
    sha256Hex(request.body ?? ''),
  ].join('\n');
  const scope = `${date}/${options.region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = ['aws4_request'].reduce(
    (k, part) => hmac(k, part),
    [date, options.region, service].reduce<Buffer>(
      (k, part) => hmac(k, part),
      Buffer.from(`AWS4${options.credentials.secretAccessKey}`, 'utf8'),
    ),
  );
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  headers.authorization =
    `${ALGORITHM} Credential=${options.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return { ...request, headers };
}

/** A `sign` hook bound to fixed credentials and region. */
export function createSigner(options: SigV4Options): (request: SignableRequest) => SignableRequest {
  return (request) => signRequest(request, options);
}

/**
 * The region of an API Gateway URL (`https://<id>.execute-api.<region>.amazonaws.com`), or
 * `undefined` for any other host.
 */
export function regionOfExecuteApiUrl(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1];
}

/** Each segment URI-encoded again (SigV4's rule for every service except S3). */
function canonicalPath(pathname: string): string {
  if (pathname === '') return '/';
  return pathname
    .split('/')
    .map((segment) => rfc3986(segment))
    .join('/');
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Adapts a signer to the `(url, init) => init` hook of `fetch` callers (the HTTP API suite's
 * `sign` option): signs method, URL, headers and the string body, and returns `init` with the
 * signed headers. `host` is left out of the returned headers because `fetch` always sends the
 * URL's host itself (it is still signed).
 *
 * @throws TypeError when the body is not a string (a stream cannot be hashed without reading it).
 */
export function signFetchInit(
  signer: (request: SignableRequest) => SignableRequest,
): (url: string, init?: RequestInit) => RequestInit {
  return (url, init = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = init.body ?? undefined;
    if (body !== undefined && typeof body !== 'string') {
      throw new TypeError('SigV4 signing of fetch requests needs a string body (or none)');
    }
    const signed = signer({
      method: init.method ?? 'GET',
      url,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const { host: _host, ...sent } = signed.headers;
    return { ...init, headers: sent };
  };
}
