import { buildAttributeColumns, buildIndex } from '@squash/core';
import {
  LOG_PREFIX,
  lastSequence,
  loadIndex,
  loadManifest,
  publishIndex,
  readCurrentVersion,
  setCurrentVersion,
} from '@squash/index-format';
import { type BlobStore, MemoryBlobStore, type PutOptions, type PutResult } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { compactIndex } from '../src/compact-index.ts';
import {
  bruteForce,
  DATA,
  definition,
  deletes,
  exactSearch,
  query,
  recallAt10,
  upserts,
} from './support/fixtures.ts';
import { type LiveSet, normalized, readLiveSet, write } from './support/live-set.ts';

async function logEntries(store: BlobStore): Promise<number> {
  let n = 0;
  for await (const _ of store.list(LOG_PREFIX)) n++;
  return n;
}

/**
 * A built index of 3,000 rows in 6 partitions (as `squash build` publishes it, with string ids
 * and metadata) and its model.
 */
async function builtFromLog(): Promise<{ store: MemoryBlobStore; model: LiveSet }> {
  const store = new MemoryBlobStore();
  const model: LiveSet = new Map();
  const ops = upserts(0, 3000);
  await write(store, model, ops);
  await store.deletePrefix(LOG_PREFIX);
  const index = buildIndex(DATA.base.slice(0, 3000 * DATA.dim), 3000, DATA.dim, {
    metric: 'l2',
    partitions: 6,
    seed: 4,
    attributes: buildAttributeColumns(DATA.rows.slice(0, 3000), DATA.schema),
  });
  await publishIndex(store, index, {
    name: 'docs',
    ids: ops.map((op) => op.id),
    metadata: ops.map((op) => (op.op === 'upsert' ? op.metadata : undefined)),
  });
  return { store, model };
}

describe('compactIndex', () => {
  it('does nothing below the build threshold, and the index stays exact over its log', async () => {
    const store = new MemoryBlobStore();
    const model: LiveSet = new Map();
    await write(store, model, upserts(0, 500));
    const report = await compactIndex(store, definition());
    expect(report).toMatchObject({ mode: 'none', version: undefined, rowsAfter: 0 });
    expect(report.reason).toMatch(/500 live rows, below the build threshold of 1000/);
    expect(await store.get('CURRENT')).toBeUndefined();
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
  });

  it('builds the first version past the threshold, folding the whole log and trimming it to its newest entry', async () => {
    const store = new MemoryBlobStore();
    const model: LiveSet = new Map();
    await write(store, model, upserts(0, 3000));
    const report = await compactIndex(store, definition());
    expect(report).toMatchObject({ mode: 'full', rowsBefore: 0, rowsAfter: 3000, tailUpserts: 3000 });
    const manifest = await loadManifest(store);
    expect(manifest.logSequence).toBe(await lastSequence(store));
    expect(manifest.idsKind).toBe('strings');
    expect(await logEntries(store)).toBe(1);
    expect(report.logEntriesDeleted).toBe(5);
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
    expect(await recallAt10(store, model)).toBeGreaterThanOrEqual(0.95);
  });

  it('folds a small tail incrementally: only affected partitions are rewritten and the live rows are exact', async () => {
    const { store, model } = await builtFromLog();
    const before = await loadManifest(store);
    // Every change is near partition 0's rows: duplicates of 40 of its rows as new ids,
    // replacements and deletes of others.
    const local = (await loadIndex(store)).index.parts.partitions[0]!.rowIds;
    const near = Array.from(local.subarray(0, 120));
    await write(store, model, [
      ...upserts(0, 40, 'dup-', (k) => near[k]!),
      ...upserts(0, 40, 'doc-', (k) => near[40 + k]!).map((op, k) => ({ ...op, id: `doc-${near[40 + k]}` })),
      ...deletes(near.slice(80).map((r) => `doc-${r}`)),
    ]);
    const report = await compactIndex(store, definition());
    expect(report).toMatchObject({ mode: 'incremental', rowsBefore: 3000, rowsAfter: 3000, rowsMoved: 0 });
    expect(report.partitionsRewritten).toBeGreaterThan(0);
    expect(report.partitionsRewritten).toBeLessThan(before.partitions.length);
    const after = await loadManifest(store);
    const copied = after.partitions.filter(
      (p) => p.objects.vectors.crc32c === before.partitions[p.id]!.objects.vectors.crc32c,
    );
    expect(copied.length).toBe(before.partitions.length - report.partitionsRewritten);
    for (const p of copied) expect(p.objects).toEqual(before.partitions[p.id]!.objects);
    expect(after.buildParameters).toEqual(before.buildParameters);
    expect(after.logSequence).toBe(await lastSequence(store));
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
    for (const q of [0, 1, 2]) {
      expect(await exactSearch(store, query(q))).toEqual(bruteForce(model, query(q), 10));
      expect(await exactSearch(store, query(q), { active: true })).toEqual(
        bruteForce(model, query(q), 10, (r) => r.attributes.active === true),
      );
    }
    expect(await recallAt10(store, model)).toBeGreaterThanOrEqual(0.95);
    expect(await recallAt10(store, model, { active: true })).toBeGreaterThanOrEqual(0.95);
  });

  it('renumbers the highest rows when the index shrinks, keeping every live row once', async () => {
    const { store, model } = await builtFromLog();
    await write(store, model, [
      ...deletes(Array.from({ length: 300 }, (_, k) => `doc-${k * 5}`)),
      ...upserts(3000, 3040),
    ]);
    const report = await compactIndex(store, definition());
    expect(report).toMatchObject({ mode: 'incremental', rowsAfter: 2740 });
    expect((await loadManifest(store)).count).toBe(2740);
    expect(report.rowsMoved).toBeGreaterThan(0);
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
    expect(await recallAt10(store, model)).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps a partition whose rows are all deleted as an empty partition, and searches still answer', async () => {
    const { store, model } = await builtFromLog();
    const { index, idOf } = await loadIndex(store);
    const doomed = Array.from(index.parts.partitions[1]!.rowIds, (r) => idOf(r));
    await write(store, model, deletes(doomed));
    const report = await compactIndex(store, definition());
    expect(report.mode).toBe('incremental');
    const manifest = await loadManifest(store);
    expect(manifest.partitions[1]!.rows).toBe(0);
    expect(manifest.partitions[1]!.radius).toBe(0);
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
    expect(await recallAt10(store, model)).toBeGreaterThanOrEqual(0.95);
  });

  it('rebuilds fully under churn (half deleted, as many upserted) with recall@10 >= 0.95', async () => {
    const { store, model } = await builtFromLog();
    await write(store, model, [
      ...deletes(Array.from({ length: 1500 }, (_, k) => `doc-${k * 2}`)),
      ...upserts(3000, 4500),
    ]);
    const report = await compactIndex(store, definition());
    expect(report.mode).toBe('full');
    expect(report.reason).toMatch(/changes 100\.0% of the base's rows/);
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
    expect(await recallAt10(store, model)).toBeGreaterThanOrEqual(0.95);
  });

  it('rebuilds fully when a new category value is outside the dictionary', async () => {
    const { store, model } = await builtFromLog();
    const [op] = upserts(3000, 3001);
    await write(store, model, [
      {
        ...op!,
        attributes: { ...(op as { attributes: object }).attributes, color: 'ultraviolet' },
      } as typeof op & object,
    ]);
    const report = await compactIndex(store, definition());
    expect(report.mode).toBe('full');
    expect(report.reason).toMatch(/"ultraviolet" is not in the base's dictionary/);
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
  });

  it('accepts writes on a built index with row-number ids', async () => {
    const store = new MemoryBlobStore();
    const n = 3000;
    const index = buildIndex(DATA.base.subarray(0, n * DATA.dim), n, DATA.dim, {
      metric: 'l2',
      partitions: 4,
      seed: 2,
      attributes: buildAttributeColumns(DATA.rows.slice(0, n), DATA.schema),
    });
    await publishIndex(store, index, { name: 'docs' });
    expect((await loadManifest(store)).idsKind).toBe('row-number');
    const model: LiveSet = new Map();
    for (let i = 0; i < n; i++) {
      const attributes = Object.fromEntries(Object.entries(DATA.rows[i]!).filter(([, v]) => v !== undefined));
      model.set(String(i), {
        vector: DATA.base.slice(i * DATA.dim, (i + 1) * DATA.dim),
        attributes: attributes as never,
        metadata: undefined,
      });
    }
    await write(store, model, [...upserts(3000, 3100, 'new-'), ...deletes(['5', '17', '2999'])]);
    const report = await compactIndex(store, definition());
    expect(report).toMatchObject({ mode: 'incremental', rowsAfter: 3097 });
    expect((await loadManifest(store)).idsKind).toBe('strings');
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
    expect(await recallAt10(store, model)).toBeGreaterThanOrEqual(0.95);
  });

  it('does nothing but finish the log trim when there is no tail', async () => {
    const { store } = await builtFromLog();
    const report = await compactIndex(store, definition());
    expect(report).toMatchObject({ mode: 'none', reason: 'no unindexed writes', logEntriesDeleted: 0 });
  });

  it('fails with PRECONDITION_FAILED and leaves no version when CURRENT moves during the compaction', async () => {
    const { store, model } = await builtFromLog();
    await write(store, model, upserts(3000, 3100));
    const base = await readCurrentVersion(store);
    const racing = new RacingStore(store, () => setCurrentVersion(store, base));
    await expect(compactIndex(racing, definition())).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(await readCurrentVersion(store)).toBe(base);
    const versions = new Set<string>();
    for await (const { key } of store.list('versions/')) versions.add(key.split('/')[1]!);
    expect([...versions]).toEqual([base]);
    expect(normalized(await readLiveSet(store))).toEqual(normalized(model));
  });
});

/** Runs `race` (another writer moving CURRENT) just before the first write of a manifest. */
class RacingStore extends MemoryBlobStore {
  #raced = false;
  constructor(
    private readonly inner: MemoryBlobStore,
    private readonly race: () => Promise<void>,
  ) {
    super();
  }
  override get(key: string) {
    return this.inner.get(key);
  }
  override getRange(key: string, offset: number, length: number) {
    return this.inner.getRange(key, offset, length);
  }
  override head(key: string) {
    return this.inner.head(key);
  }
  override list(prefix: string) {
    return this.inner.list(prefix);
  }
  override delete(key: string) {
    return this.inner.delete(key);
  }
  override deletePrefix(prefix: string) {
    return this.inner.deletePrefix(prefix);
  }
  override async put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    if (key.endsWith('/manifest.json') && !this.#raced) {
      this.#raced = true;
      await this.race();
    }
    return this.inner.put(key, bytes, options);
  }
}
