import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { loadIndex, publishIndex } from '@squash/index-format';
import { buildSampleIndex, type SquashServer, startSquashServer } from '@squash/serve';
import { createS3Client, FilesystemBlobStore, S3BlobStore } from '@squash/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3rverProcess, startS3rver } from '../../packages/storage/test/support/s3rver-process.ts';

/**
 * `squash serve` with the index in S3 (s3rver on 127.0.0.1): processors load their partitions
 * through the S3 adapter, and answers equal the in-process engine's on the same index.
 */
let s3: S3rverProcess | undefined;
let server: SquashServer | undefined;
let dir = '';
let sampleVector: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-serve-s3-'));
  s3 = await startS3rver();
  const client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials: s3.credentials });
  await client.send(new CreateBucketCommand({ Bucket: 'indexes' }));
  const sample = await buildSampleIndex(join(dir, 'mnist'));
  sampleVector = sample.sampleQuery.vector;
  const local = await loadIndex(new FilesystemBlobStore({ rootDir: sample.dir }));
  await publishIndex(new S3BlobStore({ bucket: 'indexes', prefix: 'mnist', client }), local.index, {
    name: 'mnist',
  });
  server = await startSquashServer({
    indexes: ['s3://indexes/mnist'],
    port: 0,
    bundleDir: join(dir, 'bundles'),
    env: {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    },
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('squash serve on an S3 store', () => {
  it('answers like the in-process engine, filtered and unfiltered', async () => {
    const local = await loadIndex(new FilesystemBlobStore({ rootDir: join(dir, 'mnist') }));
    for (const filter of [undefined, { label: 4 }]) {
      const response = await fetch(`${server!.url}/v1/indexes/mnist/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ vector: sampleVector, topK: 10, ...(filter === undefined ? {} : { filter }) }),
      });
      const body = (await response.json()) as {
        matches: Array<{ id: string }>;
        complete: boolean;
        usage: { bytesRead: number };
      };
      expect(response.status).toBe(200);
      expect(body.complete).toBe(true);
      const expected = local.index.search(Float32Array.from(sampleVector), {
        topK: 10,
        ...(filter === undefined ? {} : { filter }),
      });
      expect(body.matches.map((m) => m.id)).toEqual(expected.ids.map((row) => local.idOf(row)));
    }
  });
});
