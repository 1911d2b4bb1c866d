import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSampleIndex, type SquashServer, startSquashServer } from '@squash/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SquashApiError, SquashClient } from '../src/index.ts';

/** The client against a real `squash serve` on the quick-start index. */
let server: SquashServer | undefined;
let dir = '';
let vector: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-client-'));
  const sample = await buildSampleIndex(join(dir, 'mnist'));
  vector = sample.sampleQuery.vector;
  server = await startSquashServer({ indexes: [sample.dir], port: 0, bundleDir: join(dir, 'bundles') });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('SquashClient against squash serve', () => {
  const client = () => new SquashClient({ url: server!.url });

  it('lists, describes and queries an index, single and batch', async () => {
    expect(await client().health()).toMatchObject({ status: 'ok' });
    expect(await client().listIndexes()).toEqual(['mnist']);
    const summary = await client().describeIndex('mnist');
    expect(summary).toMatchObject({ name: 'mnist', dim: 784, metric: 'l2' });
    const single = await client().query('mnist', { vector, topK: 5, filter: { label: { $in: [3, 5] } } });
    expect(single.complete).toBe(true);
    expect(single.matches).toHaveLength(5);
    const batch = await client().queryBatch('mnist', {
      queries: [{ vector, topK: 5, filter: { label: { $in: [3, 5] } } }],
    });
    expect(batch.results[0]!.matches).toEqual(single.matches);
    const doc = await client().openapi();
    expect(doc.openapi).toBe('3.1.0');
  });

  it('rejects with SquashApiError carrying the API code', async () => {
    const missing = await client()
      .query('nope', { vector })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SquashApiError);
    expect(missing).toMatchObject({ code: 'INDEX_NOT_FOUND', status: 404 });
    await expect(client().query('mnist', { vector: [1, 2, 3] })).rejects.toMatchObject({
      code: 'DIMENSION_MISMATCH',
      status: 400,
    });
  });
});
