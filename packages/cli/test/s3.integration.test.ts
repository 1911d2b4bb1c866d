import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { writeFvecs, writeIdx } from '@squash/io';
import { createS3Client } from '@squash/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3rverProcess, startS3rver } from '../../storage/test/support/s3rver-process.ts';
import { parseResults, useTempDir } from './cli-harness.ts';

const run = promisify(execFile);
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'squash.mjs');
const BUCKET = 'squash-cli';
const tmp = useTempDir();
let server: S3rverProcess;

beforeAll(async () => {
  server = await startS3rver();
  const client = createS3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: server.credentials,
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  client.destroy();
  const n = 300;
  const dim = 8;
  await writeFvecs(
    join(tmp.path, 'base.fvecs'),
    Float32Array.from({ length: n * dim }, (_, i) => Math.cos(i * 0.91) * 5),
    dim,
  );
  await writeIdx(
    join(tmp.path, 'labels.idx'),
    Uint8Array.from({ length: n }, (_, i) => i % 5),
    [n],
  );
});

afterAll(async () => {
  await server?.stop();
});

/** Runs the real binary against s3rver; the process must exit by itself (no lingering sockets). */
async function squashBin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    NODE_OPTIONS: '',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: tmp.path,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('squash against S3 (s3rver on 127.0.0.1)', () => {
  it('builds to s3://bucket/prefix, then searches, inspects and verifies it there', async () => {
    const uri = `s3://${BUCKET}/indexes/demo`;
    const built = await squashBin([
      'build',
      '--input',
      'base.fvecs',
      '--attributes',
      'label=labels.idx',
      '--out',
      uri,
      '--name',
      'demo',
      '--partitions',
      '2',
    ]);
    expect(built.stderr).not.toMatch(/^squash:/m);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/built index "demo" version v\S+ at s3:\/\/squash-cli\/indexes\/demo/);
    const searched = await squashBin([
      'search',
      '--index',
      uri,
      '--queries',
      'base.fvecs',
      '--k',
      '3',
      '--filter',
      '{"label": 2}',
    ]);
    expect(searched.code).toBe(0);
    const results = parseResults(searched.stdout);
    expect(results).toHaveLength(300);
    for (const { ids } of results) for (const id of ids) expect(Number(id) % 5).toBe(2);
    const inspected = await squashBin(['inspect', uri, '--verify']);
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toMatch(/^verify: ok/m);
    const missing = await squashBin(['inspect', `s3://${BUCKET}/nothing-here`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^squash: no index here/m);
  });
});
