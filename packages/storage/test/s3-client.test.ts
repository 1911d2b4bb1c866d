import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createS3Client } from '../src/s3-client.ts';

class Intercepted extends Error {}

/** Host and path the client would send GetObject(bucket, a/b) to, without sending it. */
async function addressOf(client: S3Client): Promise<string> {
  let address = '';
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { hostname: string; path: string };
      address = `${request.hostname}${request.path}`;
      throw new Intercepted();
    },
    { step: 'finalizeRequest' },
  );
  await expect(
    client.send(new GetObjectCommand({ Bucket: 'squash-bucket', Key: 'a/b' })),
  ).rejects.toBeInstanceOf(Intercepted);
  client.destroy();
  return address;
}

function stubAwsEnv(endpoint: string | undefined): void {
  vi.stubEnv('AWS_ENDPOINT_URL_S3', endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/squash-aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/squash-aws-credentials');
}

describe('createS3Client', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('uses path-style addressing for an endpoint taken from AWS_ENDPOINT_URL_S3', async () => {
    stubAwsEnv('http://localhost:4566');
    expect(await addressOf(createS3Client())).toBe('localhost/squash-bucket/a/b');
  });

  it('uses path-style addressing for an explicit endpoint', async () => {
    stubAwsEnv(undefined);
    expect(await addressOf(createS3Client({ endpoint: 'http://localhost:4566' }))).toBe(
      'localhost/squash-bucket/a/b',
    );
  });

  it('uses virtual-hosted addressing on AWS itself', async () => {
    stubAwsEnv(undefined);
    expect(await addressOf(createS3Client())).toBe('squash-bucket.s3.us-east-1.amazonaws.com/a/b');
  });

  it('lets forcePathStyle override the default', async () => {
    stubAwsEnv('http://localhost:4566');
    expect(await addressOf(createS3Client({ forcePathStyle: false }))).toBe('squash-bucket.localhost/a/b');
    stubAwsEnv(undefined);
    expect(await addressOf(createS3Client({ forcePathStyle: true }))).toBe(
      's3.us-east-1.amazonaws.com/squash-bucket/a/b',
    );
  });
});
