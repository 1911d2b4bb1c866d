import { buildIndex, l2Impl } from '@squash/core';
import { type LogOp, loadIndex, newDefinition, publishIndex } from '@squash/index-format';
import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { loadSharedDataset } from '../../../test/support/datasets.ts';
import { compactIndex } from '../src/compact-index.ts';
import { type LiveSet, normalized, readLiveSet, write } from './support/live-set.ts';

/**
 * The churn test on a real dataset (MNIST digits, 784-d, l2): an index built from 5,000
 * rows, then half of them deleted and as many new rows upserted, compacted at defaults; recall@10
 * against brute force over the live rows. Skipped with a warning line when ../shared/datasets is
 * absent (the loader prints it).
 */
const QUERIES = 50;
const BASE_ROWS = 5000;
const mnist = await loadSharedDataset('mnist', { maxQueries: QUERIES });

describe.skipIf(mnist === undefined)('compaction on MNIST', () => {
  const data = mnist!;
  const dim = data?.dim ?? 1;
  const vector = (i: number) => data.base.slice(i * dim, (i + 1) * dim);
  const upsert = (i: number): LogOp => ({
    op: 'upsert',
    id: `img-${i}`,
    vector: vector(i),
    metadata: { row: i },
  });
  const definition = newDefinition('mnist', { dim, metric: 'l2' });

  async function built(): Promise<{ store: MemoryBlobStore; model: LiveSet }> {
    const store = new MemoryBlobStore();
    const index = buildIndex(data.base.slice(0, BASE_ROWS * dim), BASE_ROWS, dim, { metric: 'l2' });
    const ids = Array.from({ length: BASE_ROWS }, (_, i) => `img-${i}`);
    await publishIndex(store, index, { name: 'mnist', ids, metadata: ids.map((_, i) => ({ row: i })) });
    const model: LiveSet = new Map(
      ids.map((id, i) => [id, { vector: vector(i), attributes: {}, metadata: { row: i } }]),
    );
    return { store, model };
  }

  async function recall(store: MemoryBlobStore, model: LiveSet): Promise<number> {
    const { index, idOf } = await loadIndex(store);
    const rows = [...model.entries()];
    let hits = 0;
    for (let q = 0; q < QUERIES; q++) {
      const query = data.queries.subarray(q * dim, (q + 1) * dim);
      const truth = new Set(
        rows
          .map(([id, r]) => ({ id, d: l2Impl(query, 0, r.vector, 0, dim) }))
          .sort((a, b) => a.d - b.d)
          .slice(0, 10)
          .map((r) => r.id),
      );
      hits += index.search(query, { topK: 10 }).ids.filter((r) => truth.has(idOf(r))).length / 10;
    }
    return hits / QUERIES;
  }

  it('keeps recall@10 >= 0.95 after deleting half the rows and upserting as many new ones', async () => {
    const { store, model } = await built();
    const ops: LogOp[] = [];
    for (let i = 0; i < BASE_ROWS; i += 2) ops.push({ op: 'delete', id: `img-${i}` });
    for (let i = BASE_ROWS; i < BASE_ROWS + BASE_ROWS / 2; i++) ops.push(upsert(i));
    await write(store, model, ops);
    const report = await compactIndex(store, definition);
    expect(report).toMatchObject({ mode: 'full', rowsAfter: BASE_ROWS });
    expect(normalized(await readLiveSet(store)).map(([id]) => id)).toEqual(
      normalized(model).map(([id]) => id),
    );
    expect(await recall(store, model)).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps recall@10 >= 0.95 after an incremental compaction of 5% new and 5% deleted rows', async () => {
    const { store, model } = await built();
    const ops: LogOp[] = [];
    for (let i = 0; i < BASE_ROWS; i += 20) ops.push({ op: 'delete', id: `img-${i}` });
    for (let i = BASE_ROWS; i < BASE_ROWS + 250; i++) ops.push(upsert(i));
    await write(store, model, ops);
    const report = await compactIndex(store, definition);
    expect(report).toMatchObject({ mode: 'incremental', rowsAfter: BASE_ROWS });
    expect(await recall(store, model)).toBeGreaterThanOrEqual(0.95);
  });
});
