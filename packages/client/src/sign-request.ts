import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

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
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/**
 * Signs a request with SigV4 for API Gateway (`execute-api`), using the AWS SDK's own signer
 * (`@smithy/signature-v4`) rather than a hand-written one: canonicalisation and key derivation
 * are security code we should not own. Returns the headers to send (the input's plus
 * `authorization`, `x-amz-date`, `x-amz-content-sha256`, and `x-amz-security-token` when the
 * credentials carry a session token).
 */
export async function signRequest(
  request: UnsignedRequest,
  options: {
    readonly region: string;
    readonly credentials: AwsCredentials | CredentialProvider;
    /** @default 'execute-api' */
    readonly service?: string;
    /** @default now */
    readonly signingDate?: Date;
  },
): Promise<Record<string, string>> {
  // applyChecksum false: API Gateway hashes the payload itself; no x-amz-content-sha256 header.
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  const query: Record<string, string> = {};
  request.url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port === '' ? {} : { port: Number(request.url.port) }),
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}
