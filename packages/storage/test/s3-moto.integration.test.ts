import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { findMotoServer, type MotoServer, startMotoServer } from '@squash/testkit';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { S3BlobStore } from '../src/s3-blob-store.ts';
import { createS3Client } from '../src/s3-client.ts';
import { runBlobStoreSuite } from './blob-store-suite.ts';

/**
 * The conformance suite against moto's S3, which (unlike s3rver) honours conditional PUTs, orders
 * listings as AWS does and serves empty ranges correctly: the adapter's conditional writes are
 * checked against an S3 implementation here. moto is preinstalled on CI; elsewhere the file skips
 * with one visible line.
 */
const available = findMotoServer() !== undefined;
const BUCKET = 'squash-moto-test';
let server: MotoServer | undefined;
let client: S3Client | undefined;
let stores = 0;

if (!available) {
  describe('BlobStore conformance: s3 (moto)', () => {
    it.skip('skipped: moto_server is not on PATH (pip install "moto[server]" to run it)', () => {});
  });
} else {
  beforeAll(async () => {
    server = await startMotoServer();
    client = createS3Client({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      forcePathStyle: true,
    });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  runBlobStoreSuite('s3 (moto)', {
    newStore: async () => new S3BlobStore({ bucket: BUCKET, prefix: `case-${++stores}`, client: client! }),
  });
}
