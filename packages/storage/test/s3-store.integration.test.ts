import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MIN_PART_SIZE_BYTES } from '../src/blob-store.ts';
import { openBlobStore } from '../src/open-blob-store.ts';
import { S3BlobStore } from '../src/s3-blob-store.ts';
import { createS3Client } from '../src/s3-client.ts';
import { runBlobStoreSuite } from './blob-store-suite.ts';
import { type S3rverProcess, startS3rver } from './support/s3rver-process.ts';
import { chunksOf, collect, seededBytes, utf8Bytes } from './support/test-bytes.ts';

const BUCKET = 'squash-test';
let server: S3rverProcess;
let client: S3Client;
let storeCount = 0;

/** A store on a prefix no other case uses, so cases share the bucket without seeing each other. */
function freshStore(): S3BlobStore {
  storeCount += 1;
  return new S3BlobStore({ bucket: BUCKET, prefix: `case-${storeCount}`, client });
}

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

runBlobStoreSuite('s3 (s3rver)', {
  newStore: async () => freshStore(),
  knownDefects: {
    listOrderAroundSlash:
      's3rver lists its directory tree depth-first, so a/b comes before a-1; AWS S3 does not',
    rangeOfEmptyObject: 's3rver promises 1 byte of a 0-byte object, then resets the connection',
    atomicConcurrentOverwrite:
      's3rver writes each PUT into the object file in place, so racing PUTs interleave',
    conditionalWrites: 's3rver ignores If-None-Match and If-Match on PUT; the moto run checks them',
  },
});

/** Runs `action` and counts the SDK commands the shared client sent meanwhile, by command name. */
async function countCommands(action: () => Promise<void>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  try {
    await action();
  } finally {
    client.middlewareStack.remove('countCommands');
  }
  return counts;
}

describe('S3BlobStore on s3rver', () => {
  async function rawKeys(prefix: string): Promise<string[]> {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (page.Contents ?? []).map((object) => object.Key ?? '');
  }

  it('stores key a/b under <prefix>/a/b in the bucket', async () => {
    const store = new S3BlobStore({ bucket: BUCKET, prefix: 'layout/v1/', client });
    await store.put('a/b', utf8Bytes('ab'));
    const output = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'layout/v1/a/b' }));
    expect(await output.Body?.transformToString()).toBe('ab');
    expect(store.prefix).toBe('layout/v1/');
  });

  it('uploads a stream larger than one part as a multipart upload of several parts', async () => {
    const store = freshStore();
    const parts = [
      seededBytes(MIN_PART_SIZE_BYTES, 1),
      seededBytes(MIN_PART_SIZE_BYTES, 2),
      seededBytes(10, 3),
    ];
    const counts = await countCommands(() =>
      store.putStream('multi/three-parts.bin', chunksOf(parts), { partSizeBytes: MIN_PART_SIZE_BYTES }),
    );
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
    expect(counts.get('UploadPartCommand')).toBe(3);
    expect(counts.get('CompleteMultipartUploadCommand')).toBe(1);
    expect((await store.head('multi/three-parts.bin'))?.sizeBytes).toBe(2 * MIN_PART_SIZE_BYTES + 10);
  });

  it('leaves no object in the bucket when a multipart upload fails part-way', async () => {
    const store = freshStore();
    async function* failAfterTwoParts(): AsyncIterable<Uint8Array> {
      yield seededBytes(MIN_PART_SIZE_BYTES, 1);
      yield seededBytes(MIN_PART_SIZE_BYTES, 2);
      yield seededBytes(1024, 3);
      throw new Error('network to the source dropped');
    }
    const counts = await countCommands(async () => {
      await expect(
        store.putStream('failed/upload.bin', failAfterTwoParts(), { partSizeBytes: MIN_PART_SIZE_BYTES }),
      ).rejects.toThrow('network to the source dropped');
    });
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
    expect(counts.get('CompleteMultipartUploadCommand')).toBeUndefined();
    expect(await rawKeys(`${store.prefix}failed/`)).toEqual([]);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${store.prefix}failed/upload.bin` })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('pages ListObjectsV2 by listPageSize and lists and deletes across pages', async () => {
    const store = new S3BlobStore({ bucket: BUCKET, prefix: 'paged-small', client, listPageSize: 10 });
    const keys = Array.from({ length: 25 }, (_, i) => `k/${String(i).padStart(2, '0')}`);
    await Promise.all(keys.map((key) => store.put(key, utf8Bytes(key))));
    let listed: string[] = [];
    const counts = await countCommands(async () => {
      listed = (await collect(store.list('k/'))).map((entry) => entry.key);
    });
    expect(listed).toEqual(keys);
    expect(counts.get('ListObjectsV2Command')).toBe(3);
    expect(await store.deletePrefix('k/')).toBe(25);
    expect(await rawKeys('paged-small/')).toEqual([]);
  });

  it('reports an ETag from head that changes when the object changes', async () => {
    const store = freshStore();
    await store.put('tagged.bin', utf8Bytes('first'));
    const first = await store.head('tagged.bin');
    await store.put('tagged.bin', utf8Bytes('second'));
    const second = await store.head('tagged.bin');
    expect(first?.etag).toMatch(/^[0-9a-f-]+$/);
    expect(second?.etag).not.toBe(first?.etag);
  });

  it('keeps stores on different prefixes of one bucket apart', async () => {
    const left = freshStore();
    const right = freshStore();
    await left.put('same/key', utf8Bytes('left'));
    expect(await right.get('same/key')).toBeUndefined();
    expect(await collect(right.list(''))).toEqual([]);
  });

  it('fails with STORAGE_ERROR, not absence, when the bucket does not exist', async () => {
    const store = new S3BlobStore({ bucket: 'no-such-bucket', client });
    await expect(store.get('a')).rejects.toMatchObject({ code: 'STORAGE_ERROR', operation: 'get', key: 'a' });
    await expect(store.put('a', utf8Bytes('x'))).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    await expect(collect(store.list(''))).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    await expect(store.putStream('a', chunksOf([utf8Bytes('x')]))).rejects.toMatchObject({
      code: 'STORAGE_ERROR',
    });
  });
});

describe('openBlobStore with the standard AWS configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reaches the server named by AWS_ENDPOINT_URL_S3, using path-style addressing', async () => {
    // localhost, not 127.0.0.1: the SDK picks path style for IP endpoints by itself, so only a
    // host name shows that createS3Client turns path style on for configured endpoints.
    vi.stubEnv('AWS_ENDPOINT_URL_S3', `http://localhost:${server.port}`);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', server.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', server.credentials.secretAccessKey);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/squash-aws-config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/squash-aws-credentials');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const store = openBlobStore(`s3://${BUCKET}/from-env/`);
    await store.put('hello.txt', utf8Bytes('configured by env'));
    expect(new TextDecoder().decode(await store.get('hello.txt'))).toBe('configured by env');
    expect(await rawKeys('from-env/')).toEqual(['from-env/hello.txt']);
  });

  async function rawKeys(prefix: string): Promise<string[]> {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (page.Contents ?? []).map((object) => object.Key ?? '');
  }
});
