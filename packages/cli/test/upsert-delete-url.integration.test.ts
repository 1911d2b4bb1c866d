import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SquashClient } from '@squash/client';
import { SeededRandom } from '@squash/core';
import { type SquashServer, startSquashServer } from '@squash/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { squash, useTempDir } from './cli-harness.ts';

const temp = useTempDir('squash-writes-url-');
let server: SquashServer | undefined;

beforeAll(async () => {
  server = await startSquashServer({
    store: join(temp.path, 'store'),
    port: 0,
    bundleDir: join(temp.path, 'bundles'),
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe('squash upsert and delete --url', () => {
  it('creates the index, upserts 1,200 rows in two requests, deletes some and stops at a refused line', async () => {
    const random = new SeededRandom(5);
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      id: `u${i}`,
      vector: Array.from({ length: 8 }, () => Math.fround(random.nextGaussian())),
      attributes: { shelf: i % 3 },
      metadata: { note: `row ${i}` },
    }));
    await writeFile(join(temp.path, 'schema.json'), JSON.stringify({ shelf: { type: 'integer' } }));
    await writeFile(join(temp.path, 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    const url = server!.url;
    const up = await squash(temp.path, [
      ...['upsert', '--url', url, '--index', 'notes', '--input', 'rows.jsonl', '--json'],
      ...['--create-dim', '8', '--create-metric', 'l2', '--schema', 'schema.json'],
    ]);
    expect(up.stderr).not.toMatch(/squash:/);
    expect(up.code).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ rows: 1200, requests: 2, created: true });

    const del = await squash(temp.path, [
      ...['delete', '--url', url, '--index', 'notes', '--id', 'u3', '--id', 'u1100'],
    ]);
    expect(del.code).toBe(0);
    expect(del.stdout).toMatch(/^deleted\s+2 ids in 1 request\b/m);

    const client = new SquashClient({ url });
    const fetched = await client.fetchVectors('notes', {
      ids: ['u3', 'u4', 'u1100', 'u1199'],
      include: ['vector', 'attributes', 'metadata'],
    });
    expect(fetched.vectors.map((v) => v.id)).toEqual(['u4', 'u1199']);
    expect(fetched.vectors[0]).toEqual({ id: 'u4', ...rows[4] });

    await writeFile(
      join(temp.path, 'bad.jsonl'),
      [JSON.stringify({ id: 'ok', vector: rows[0]!.vector }), JSON.stringify({ id: 'no', vector: [1] })].join(
        '\n',
      ),
    );
    const bad = await squash(temp.path, ['upsert', '--url', url, '--index', 'notes', '--input', 'bad.jsonl']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /bad\.jsonl line 2: DIMENSION_MISMATCH: vectors\[1\]\.vector has 1 dimensions/,
    );
    expect((await client.fetchVectors('notes', { ids: ['ok'] })).vectors).toEqual([]);
  }, 120_000);
});
