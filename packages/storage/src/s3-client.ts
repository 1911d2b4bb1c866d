import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** Settings of `createS3Client`. Every one is optional; the defaults come from the standard AWS chain. */
export interface S3ClientSettings {
  /**
   * S3 endpoint URL, e.g. `http://127.0.0.1:4569` for s3rver or `http://localhost:4566` for
   * LocalStack.
   * @default the SDK's configured-endpoint chain: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`,
   * then `endpoint_url` in the shared config file; otherwise AWS itself.
   */
  readonly endpoint?: string;
  /**
   * Address buckets as `https://host/bucket/key` instead of `https://bucket.host/key`. Local S3
   * servers need path style because `bucket.127.0.0.1` does not resolve; AWS prefers
   * virtual-hosted style.
   * @default `true` when an endpoint is configured (by `endpoint` or the SDK chain), else `false`
   */
  readonly forcePathStyle?: boolean;
  /** @default the SDK chain: `AWS_REGION`, `AWS_DEFAULT_REGION`, the shared config file, instance metadata */
  readonly region?: string;
  /** @default the SDK's default credential provider chain (env, SSO, shared files, container and instance roles) */
  readonly credentials?: S3ClientConfig['credentials'];
  /** Attempts per request, including the first, with the SDK's standard retry back-off. @default 3 */
  readonly maxAttempts?: number;
}

/**
 * Creates an `S3Client` from the standard AWS configuration chain, so one code path reaches AWS,
 * LocalStack or s3rver depending only on configuration (`AWS_ENDPOINT_URL_S3` and friends), never
 * on a code branch. Create one per process and share it: the client pools connections.
 */
export function createS3Client(settings: S3ClientSettings = {}): S3Client {
  let client: S3Client | undefined;
  const forcePathStyle =
    settings.forcePathStyle ??
    (settings.endpoint !== undefined
      ? true
      : // Evaluated per request by the endpoint resolver: path style iff the SDK found a
        // configured endpoint. `serviceConfiguredEndpoint` is how SDK v3 exposes that lookup.
        async () => (await configuredEndpoint(client)) !== undefined);
  client = new S3Client({
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    ...(settings.maxAttempts === undefined ? {} : { maxAttempts: settings.maxAttempts }),
    // The endpoint resolver accepts a Provider<boolean> here (EndpointParameters.forcePathStyle);
    // S3ClientConfig's intersection with the legacy S3InputConfig narrows the type to boolean.
    // The only other reader, lib-storage's `Location` of single-part results, is unused here.
    forcePathStyle: forcePathStyle as boolean,
  });
  return client;
}

async function configuredEndpoint(client: S3Client | undefined): Promise<string | undefined> {
  const config = client?.config as
    | { serviceConfiguredEndpoint?: () => Promise<string | undefined> }
    | undefined;
  return (await config?.serviceConfiguredEndpoint?.()) ?? undefined;
}
