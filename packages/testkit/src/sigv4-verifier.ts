import { createHash, timingSafeEqual } from 'node:crypto';
import { type AwsCredentials, sdkSigner, toSignableRequest } from '@squash/client';

/**
 * Checks SigV4 on an incoming request the way API Gateway's `AWS_IAM` authorization does before
 * anything reaches the integration: the signature is recomputed with the SDK signer over exactly
 * the headers the client listed, the credential scope must name this region and `execute-api`,
 * and the clock may be off by at most five minutes. What it does not do is evaluate IAM policies
 * (whether the caller holds `execute-api:Invoke`): every key in `credentials` is allowed.
 */

export interface SigV4VerifyOptions {
  /** Known callers: access key id -> credentials. */
  readonly credentials: ReadonlyMap<string, AwsCredentials>;
  readonly region: string;
  /** @default 'execute-api' */
  readonly service?: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** A request as it arrived: `url` absolute (scheme and host from the `host` header). */
export interface IncomingSignedRequest {
  readonly method: string;
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type SigV4Verdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Largest clock difference API Gateway accepts between `x-amz-date` and its own clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

/** Verifies the request's SigV4 signature; the failure message is what API Gateway would say. */
export async function verifySigV4(
  request: IncomingSignedRequest,
  options: SigV4VerifyOptions,
): Promise<SigV4Verdict> {
  const service = options.service ?? 'execute-api';
  const authorization = request.headers.authorization;
  if (authorization === undefined) return refuse('Missing Authentication Token');
  const parts = AUTHORIZATION.exec(authorization);
  if (parts === null) return refuse(`Authorization header is not AWS4-HMAC-SHA256 SigV4: ${authorization}`);
  const [, accessKeyId, scopeDate, region, scopeService, signedList, signature] =
    parts as unknown as string[];
  const credentials = options.credentials.get(accessKeyId!);
  if (credentials === undefined) return refuse('The security token included in the request is invalid.');
  if (region !== options.region || scopeService !== service) {
    return refuse(
      `Credential should be scoped to ${options.region}/${service}; got ${region}/${scopeService}`,
    );
  }
  const signingDate = parseAmzDate(request.headers['x-amz-date']);
  if (signingDate === undefined) return refuse('x-amz-date is missing or not yyyyMMddTHHmmssZ');
  if (toDateStamp(signingDate) !== scopeDate) return refuse('Credential date does not match x-amz-date');
  const now = (options.now ?? (() => new Date()))();
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) return refuse('Signature expired');
  const signedHeaders = signedList!.split(';');
  if (!signedHeaders.includes('host')) return refuse("'Host' must be a signed header");
  const bodyHash = request.headers['x-amz-content-sha256'];
  if (bodyHash !== undefined && bodyHash !== createHash('sha256').update(request.body).digest('hex')) {
    return refuse('x-amz-content-sha256 does not match the body');
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return refuse(`signed header ${name} is missing from the request`);
    headers[name] = value;
  }
  const expected = await sdkSigner({ credentials, region: options.region, service }).sign(
    toSignableRequest(request.method, new URL(request.url), headers, request.body),
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})$/.exec(String(expected.headers.authorization))?.[1];
  const matches =
    expectedSignature !== undefined &&
    timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature!));
  return matches
    ? { ok: true }
    : refuse(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
}

function refuse(message: string): SigV4Verdict {
  return { ok: false, message };
}

function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function toDateStamp(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}
