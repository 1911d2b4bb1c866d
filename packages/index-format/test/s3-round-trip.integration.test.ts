import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, S3BlobStore } from '@squash/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3rverProcess, startS3rver } from '../../storage/test/support/s3rver-process.ts';
import { loadIndex } from '../src/load-index.ts';
import { loadManifest } from '../src/load-manifest.ts';
import { loadPartition } from '../src/load-partition.ts';
import { publishIndex } from '../src/publish-index.ts';
import { readVectorRows } from '../src/read-vector-rows.ts';
import { verifyIndex } from '../src/verify-index.ts';
import { DATA, query, smallIndex } from './support/fixtures.ts';

const BUCKET = 'squash-index-format';
let server: S3rverProcess;
let client: S3Client;

beforeAll(async () => {
  server = await startS3rver();
  client = createS3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: server.credentials,
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

describe('an index on S3 (s3rver)', () => {
  it('publishes, verifies, loads and reads rows with identical results', async () => {
    const store = new S3BlobStore({ bucket: BUCKET, prefix: 'indexes/synthetic', client });
    const index = smallIndex('l2', true);
    const { version } = await publishIndex(store, index, { name: 'synthetic' });
    expect((await verifyIndex(store)).ok).toBe(true);
    const loaded = await loadIndex(store);
    expect(loaded.manifest.version).toBe(version);
    for (let q = 0; q < 5; q++) {
      const options = { topK: 10, filter: { color: 'green' } };
      expect(loaded.index.search(query(q), options)).toEqual(index.search(query(q), options));
    }
    const manifest = await loadManifest(store);
    const partition = await loadPartition(store, manifest, 3);
    expect(partition.data).toEqual(index.parts.partitions[3]);
    const rows = await readVectorRows(store, manifest, 3, [7, 8, 100]);
    const { vectors } = index.parts.partitions[3]!;
    expect(rows.subarray(2 * DATA.dim)).toEqual(vectors.subarray(100 * DATA.dim, 101 * DATA.dim));
  });
});
