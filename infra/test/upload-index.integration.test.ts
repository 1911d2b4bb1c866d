import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { buildIndex } from '@squash/core';
import {
  listIndexDefinitions,
  loadManifest,
  publishIndex,
  readCurrentVersion,
  readIndexDefinition,
} from '@squash/index-format';
import { createS3Client, FilesystemBlobStore, S3BlobStore } from '@squash/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3rverProcess, startS3rver } from '../../packages/storage/test/support/s3rver-process.ts';
import { REPO_ROOT } from '../lib/project-paths.ts';

const BUCKET = 'squash-upload-test';
let server: S3rverProcess;
let client: S3Client;
const work = mkdtempSync(join(tmpdir(), 'squash-upload-'));

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
  rmSync(work, { recursive: true, force: true });
});

/** A small index published as the CLI publishes it (200 x `dim`, two partitions), named `digits`. */
async function writeIndex(dim = 4, dirName = 'built-index'): Promise<{ dir: string; keys: string[] }> {
  const dir = join(work, dirName);
  const vectors = Float32Array.from({ length: 200 * dim }, (_, i) => Math.cos(i * 7.31) * 5);
  const store = new FilesystemBlobStore({ rootDir: dir });
  await publishIndex(store, buildIndex(vectors, 200, dim, { metric: 'l2', partitions: 2, seed: 1 }), {
    name: 'digits',
  });
  const keys: string[] = [];
  for await (const { key } of store.list('')) keys.push(key);
  return { dir, keys: keys.sort() };
}

function runUpload(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'scripts/upload-index.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          AWS_ENDPOINT_URL_S3: server.endpoint,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run upload', () => {
  it('copies a built index to s3://bucket/<prefix>/<manifest name>/ with CURRENT last', async () => {
    const built = await writeIndex();
    const result = await runUpload(['--index', built.dir, '--bucket', BUCKET, '--prefix', 'team/indexes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/to s3:\/\/squash-upload-test\/team\/indexes\/digits/);
    const total = built.keys.length;
    const copied = result.stdout.split('\n').filter((line) => /^\s+\[\d+\/\d+\]/.test(line));
    expect(copied.at(-1)).toMatch(new RegExp(`\\[${total}/${total}\\] CURRENT`));
    const store = new S3BlobStore({ bucket: BUCKET, prefix: 'team/indexes/digits', client });
    const keys: string[] = [];
    for await (const { key } of store.list('')) keys.push(key);
    expect(keys.sort()).toEqual(built.keys);
    expect(built.keys).toContain('CURRENT');
  });

  it('registers the uploaded index in the catalog of the root, from its manifest, so a deployed coordinator finds it', async () => {
    const built = await writeIndex();
    const root = new S3BlobStore({ bucket: BUCKET, prefix: 'team/indexes', client });
    const upload = await runUpload(['--index', built.dir, '--bucket', BUCKET, '--prefix', 'team/indexes']);
    expect(upload.code, upload.stderr).toBe(0);
    expect(upload.stdout).toMatch(
      /registered "digits" in s3:\/\/squash-upload-test\/team\/indexes\/_indexes\//,
    );
    const manifest = await loadManifest(
      new FilesystemBlobStore({ rootDir: built.dir }),
      await readCurrentVersion(new FilesystemBlobStore({ rootDir: built.dir })),
    );
    expect(await readIndexDefinition(root, 'digits')).toEqual({
      name: 'digits',
      dim: 4,
      metric: 'l2',
      schema: {},
      createdAt: manifest.createdAt,
    });
    // Under another name: registered under that name, next to the first.
    const renamed = await runUpload([
      '--index',
      built.dir,
      '--bucket',
      BUCKET,
      '--prefix',
      'team/indexes',
      '--name',
      'digits-2',
    ]);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect((await listIndexDefinitions(root)).map((d) => d.name).sort()).toEqual(['digits', 'digits-2']);
    // A new upload of the same index keeps its registration.
    expect(
      (await runUpload(['--index', built.dir, '--bucket', BUCKET, '--prefix', 'team/indexes'])).code,
    ).toBe(0);
  });

  it('refuses, before copying anything, an upload whose dimension differs from the registered index of that name', async () => {
    const first = await writeIndex(4, 'first');
    expect((await runUpload(['--index', first.dir, '--bucket', BUCKET, '--prefix', 'conflict'])).code).toBe(
      0,
    );
    const data = new S3BlobStore({ bucket: BUCKET, prefix: 'conflict/digits', client });
    const current = await data.get('CURRENT');
    const other = await writeIndex(6, 'other-dim');
    const result = await runUpload(['--index', other.dir, '--bucket', BUCKET, '--prefix', 'conflict']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /upload failed: index "digits" is registered with dim 4, metric l2; the upload has dim 6/,
    );
    expect(result.stdout).not.toMatch(/\[1\//);
    const root = new S3BlobStore({ bucket: BUCKET, prefix: 'conflict', client });
    expect((await readIndexDefinition(root, 'digits'))?.dim).toBe(4);
    expect(await data.get('CURRENT')).toEqual(current);
  });

  it('exits 2 with the usage line on a missing flag', async () => {
    const result = await runUpload(['--index', 'somewhere']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--bucket <name> is required\nusage: npm run upload/);
  });
});
