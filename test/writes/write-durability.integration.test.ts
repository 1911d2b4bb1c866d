import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { SquashClient } from '@squash/client';
import { type SquashServer, startSquashServer } from '@squash/serve';
import { createS3Client } from '@squash/storage';
import { findMotoServer, freePort, type MotoServer, startMotoServer } from '@squash/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Durability of writes through `squash serve` (issue 14): an acknowledged write survives the
 * serving processes being killed with SIGKILL mid-stream and no request is half-applied; two
 * servers writing one index at once lose nothing, on the filesystem store and on S3 (moto, which
 * honours conditional PUTs as S3 does).
 */
const REPO = resolve(import.meta.dirname, '../..');
const DIM = 8;
const ROWS_PER_REQUEST = 50;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-durability-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rowsOf = (request: string) =>
  Array.from({ length: ROWS_PER_REQUEST }, (_, j) => ({
    id: `${request}-${j}`,
    vector: Array.from({ length: DIM }, (_, d) => (j * 31 + d * 7) % 13),
  }));

/** Which of `ids` the index holds now (fetch answers only the live ids). */
async function presentIds(client: SquashClient, index: string, ids: string[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (let start = 0; start < ids.length; start += 1000) {
    const answer = await client.fetchVectors(index, { ids: ids.slice(start, start + 1000) });
    for (const row of answer.vectors) present.add(row.id);
  }
  return present;
}

/** `squash serve --store dir` as a child process group, so SIGKILL takes its workers too. */
async function spawnServe(store: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(REPO, 'packages/cli/bin/squash.mjs'), 'serve', '--store', store, '--port', String(port)],
    {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SQUASH_BUNDLE_DIR: join(dir, 'bundles') },
    },
  );
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`squash serve --store ${store} exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })).ok)
        return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`squash serve --store ${store} did not answer /health within 150 s: ${stderr}`);
}

describe('writes survive a crash of the serving processes', () => {
  it('keeps every acknowledged upsert after SIGKILL mid-stream, and no request half-applied', async () => {
    const store = join(dir, 'crash-store');
    const port = await freePort();
    const client = new SquashClient({ url: `http://127.0.0.1:${port}`, maxRetries: 0, timeoutMs: 10_000 });
    let serve = await spawnServe(store, port);
    let killed = false;
    try {
      await client.createIndex('crash', { dim: DIM, metric: 'l2' });
      const acknowledged: string[] = [];
      const unacknowledged: string[] = [];
      const stream = async (writer: number) => {
        for (let i = 0; !killed || i === 0; i++) {
          const request = `w${writer}r${i}`;
          try {
            await client.upsert('crash', { vectors: rowsOf(request) });
            acknowledged.push(request);
          } catch {
            unacknowledged.push(request);
            return;
          }
        }
      };
      const writers = Promise.all([0, 1, 2].map(stream));
      // Kill once a few requests are acknowledged (others are then in flight), bounded in time.
      const killBy = Date.now() + 60_000;
      while (acknowledged.length < 6 && unacknowledged.length === 0 && Date.now() < killBy) {
        await new Promise((r) => setTimeout(r, 50));
      }
      killed = true;
      process.kill(-serve.pid!, 'SIGKILL');
      await writers;
      expect(acknowledged.length).toBeGreaterThan(3);

      serve = await spawnServe(store, port);
      const all = [...acknowledged, ...unacknowledged];
      const present = await presentIds(
        client,
        'crash',
        all.flatMap((r) => rowsOf(r).map((row) => row.id)),
      );
      for (const request of acknowledged) {
        for (const row of rowsOf(request)) expect(present.has(row.id), `${row.id} (acknowledged)`).toBe(true);
      }
      for (const request of unacknowledged) {
        const count = rowsOf(request).filter((row) => present.has(row.id)).length;
        expect([0, ROWS_PER_REQUEST], `rows of unacknowledged request ${request}`).toContain(count);
      }
    } finally {
      process.kill(-serve.pid!, 'SIGKILL');
    }
  }, 240_000);
});

/** Two servers over one store root, each streaming upserts of its own ids into one index. */
async function twoWriters(store: string, env: Record<string, string> = {}): Promise<void> {
  const servers: SquashServer[] = [];
  try {
    for (const name of ['a', 'b']) {
      servers.push(await startSquashServer({ store, port: 0, bundleDir: join(dir, `bundles-${name}`), env }));
    }
    const [a, b] = servers.map((s) => new SquashClient({ url: s.url }));
    await a!.createIndex('shared', { dim: DIM, metric: 'l2' });
    const requests = (writer: string) => Array.from({ length: 12 }, (_, i) => `${writer}${i}`);
    const sequences: number[] = [];
    await Promise.all(
      (['a', 'b'] as const).map(async (writer, w) => {
        const client = w === 0 ? a! : b!;
        for (const request of requests(writer)) {
          sequences.push((await client.upsert('shared', { vectors: rowsOf(request) })).sequence);
        }
      }),
    );
    expect(new Set(sequences).size).toBe(sequences.length);
    const ids = [...requests('a'), ...requests('b')].flatMap((r) => rowsOf(r).map((row) => row.id));
    for (const client of [a!, b!]) expect((await presentIds(client, 'shared', ids)).size).toBe(ids.length);
    expect((await a!.describeIndex('shared')).count).toBe(ids.length);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

describe('two writers on one index', () => {
  it('lose no acknowledged write on the filesystem store', async () => {
    await twoWriters(join(dir, 'two-writers'));
  }, 240_000);

  let moto: MotoServer | undefined;
  const motoPath = findMotoServer();
  afterAll(async () => {
    await moto?.stop();
  });

  it.runIf(motoPath !== undefined)(
    'lose no acknowledged write on S3 (moto)',
    async () => {
      moto = await startMotoServer();
      const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
      const s3 = createS3Client({ endpoint: moto.url, region: 'us-east-1', credentials });
      await s3.send(new CreateBucketCommand({ Bucket: 'writes' }));
      await twoWriters('s3://writes/root', {
        AWS_ENDPOINT_URL_S3: moto.url,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      });
    },
    240_000,
  );
  if (motoPath === undefined)
    console.log('moto_server not found: the two-writers test on S3 (moto) is skipped');
});
