import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FilesystemBlobStore } from '../src/filesystem-blob-store.ts';
import { MemoryBlobStore } from '../src/memory-blob-store.ts';
import { openBlobStore, parseStoreUri } from '../src/open-blob-store.ts';
import { S3BlobStore } from '../src/s3-blob-store.ts';
import { createS3Client } from '../src/s3-client.ts';
import { utf8Bytes } from './support/test-bytes.ts';

describe('parseStoreUri', () => {
  it('parses s3://bucket/prefix, with or without a prefix or trailing slash', () => {
    expect(parseStoreUri('s3://my-bucket/indexes/prod')).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      prefix: 'indexes/prod',
    });
    expect(parseStoreUri('s3://my-bucket/indexes/')).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      prefix: 'indexes',
    });
    expect(parseStoreUri('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(parseStoreUri('S3://my-bucket/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
  });

  it('treats plain paths and file:// URLs as filesystem stores', () => {
    const dir = join(tmpdir(), 'squash store');
    expect(parseStoreUri(dir)).toEqual({ kind: 'filesystem', rootDir: dir });
    expect(parseStoreUri('./data/indexes')).toEqual({ kind: 'filesystem', rootDir: './data/indexes' });
    expect(parseStoreUri(pathToFileURL(dir).href)).toEqual({ kind: 'filesystem', rootDir: dir });
  });

  it('parses memory://name', () => {
    expect(parseStoreUri('memory://tests')).toEqual({ kind: 'memory', name: 'tests' });
  });

  it('rejects unknown schemes, bad bucket names, bad prefixes and empty URIs with INVALID_ARGUMENT', () => {
    for (const uri of [
      '',
      'gs://bucket/x',
      's3://',
      's3://Upper/x',
      's3://b/x',
      's3://bucket/a//b',
      's3://bucket/../x',
      'memory://',
      'memory://a/b',
    ]) {
      expect(() => parseStoreUri(uri), uri).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'uri' }),
      );
    }
  });
});

describe('openBlobStore', () => {
  it('opens the adapter the URI names', () => {
    const client = createS3Client({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
    const s3 = openBlobStore('s3://my-bucket/indexes', { s3Client: client });
    expect(s3).toBeInstanceOf(S3BlobStore);
    expect((s3 as S3BlobStore).prefix).toBe('indexes/');
    const fs = openBlobStore('relative/dir');
    expect(fs).toBeInstanceOf(FilesystemBlobStore);
    expect((fs as FilesystemBlobStore).rootDir).toBe(resolve('relative/dir'));
    expect(openBlobStore('memory://open-test')).toBeInstanceOf(MemoryBlobStore);
    client.destroy();
  });

  it('returns the same memory store for the same name', async () => {
    const writer = openBlobStore('memory://shared-name');
    await writer.put('k', utf8Bytes('v'));
    expect(openBlobStore('memory://shared-name')).toBe(writer);
    expect(await openBlobStore('memory://other-name').get('k')).toBeUndefined();
  });
});
