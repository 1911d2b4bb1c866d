import { buildAttributeColumns, buildIndex } from '@squash/core';
import { LOG_PREFIX, lastSequence, loadManifest, publishIndex } from '@squash/index-format';
import {
  type BlobHead,
  type BlobListing,
  type BlobStore,
  MemoryBlobStore,
  type PutOptions,
  type PutResult,
  type PutStreamOptions,
} from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { compactIndex } from '../src/compact-index.ts';
import { DATA, definition, deletes, upserts } from './support/fixtures.ts';
import { type LiveSet, normalized, readLiveSet, write } from './support/live-set.ts';

/**
 * A compactor process killed after `allowed` store operations: every later call throws, and it
 * never cleans anything up (a dead process deletes nothing).
 */
class DyingStore implements BlobStore {
  calls = 0;
  constructor(
    private readonly inner: BlobStore,
    private readonly allowed: number,
  ) {}
  #step(what: string): void {
    if (this.calls++ >= this.allowed) throw new Error(`simulated kill before ${what}`);
  }
  async get(key: string): Promise<Uint8Array | undefined> {
    this.#step(`get ${key}`);
    return this.inner.get(key);
  }
  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    this.#step(`getRange ${key}`);
    return this.inner.getRange(key, offset, length);
  }
  async put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    this.#step(`put ${key}`);
    return this.inner.put(key, bytes, options);
  }
  async putStream(key: string, chunks: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<void> {
    this.#step(`putStream ${key}`);
    return this.inner.putStream(key, chunks, options);
  }
  async head(key: string): Promise<BlobHead | undefined> {
    this.#step(`head ${key}`);
    return this.inner.head(key);
  }
  async *list(prefix: string): AsyncIterable<BlobListing> {
    this.#step(`list ${prefix}`);
    yield* this.inner.list(prefix);
  }
  async delete(key: string): Promise<void> {
    this.#step(`delete ${key}`);
    return this.inner.delete(key);
  }
  async deletePrefix(prefix: string): Promise<number> {
    this.#step(`deletePrefix ${prefix}`);
    return this.inner.deletePrefix(prefix);
  }
}

/** A built 1,500-row index in 3 partitions plus a tail; each scenario is copied per run. */
async function scenario(kind: 'incremental' | 'full'): Promise<{ store: MemoryBlobStore; model: LiveSet }> {
  const store = new MemoryBlobStore();
  const model: LiveSet = new Map();
  const n = 1500;
  const ops = upserts(0, n);
  await write(store, model, ops);
  await store.deletePrefix(LOG_PREFIX);
  const index = buildIndex(DATA.base.slice(0, n * DATA.dim), n, DATA.dim, {
    metric: 'l2',
    partitions: 3,
    seed: 1,
    attributes: buildAttributeColumns(DATA.rows.slice(0, n), DATA.schema),
  });
  await publishIndex(store, index, {
    name: 'docs',
    ids: ops.map((op) => op.id),
    metadata: ops.map((op) => (op.op === 'upsert' ? op.metadata : undefined)),
  });
  const tail =
    kind === 'incremental'
      ? [...upserts(n, n + 60), ...deletes(['doc-3', 'doc-400', 'doc-1499']), ...upserts(10, 20)]
      : [...upserts(n, n + 900), ...deletes(Array.from({ length: 200 }, (_, k) => `doc-${k * 3}`))];
  await write(store, model, tail, 100);
  return { store, model };
}

async function copyOf(store: MemoryBlobStore): Promise<MemoryBlobStore> {
  const copy = new MemoryBlobStore();
  for await (const { key } of store.list('')) await copy.put(key, (await store.get(key))!);
  return copy;
}

for (const kind of ['incremental', 'full'] as const) {
  describe(`a ${kind} compaction killed at each store operation`, () => {
    it('leaves base + tail equal to the live rows, and the next run completes the work', async () => {
      const { store: pristine, model } = await scenario(kind);
      const expected = normalized(model);
      const counting = new DyingStore(await copyOf(pristine), Number.POSITIVE_INFINITY);
      const report = await compactIndex(counting, definition());
      expect(report.mode).toBe(kind);
      const total = counting.calls;
      // The last 16 operations one by one (manifest, CURRENT, the log trim) and 12 spread over the
      // rest (reads, partition tasks, copies), so the test stays a few seconds long.
      const points = [
        ...new Set([
          ...Array.from({ length: 12 }, (_, i) => Math.floor((i * (total - 16)) / 12)),
          ...Array.from({ length: 16 }, (_, i) => total - 16 + i),
        ]),
      ];
      for (const allowed of points) {
        const store = await copyOf(pristine);
        await expect(compactIndex(new DyingStore(store, allowed), definition())).rejects.toThrow(
          /simulated kill/,
        );
        expect(
          normalized(await readLiveSet(store)),
          `killed after ${allowed} of ${total} operations`,
        ).toEqual(expected);
        const rerun = await compactIndex(store, definition());
        expect(['none', kind]).toContain(rerun.mode);
        expect((await loadManifest(store)).logSequence).toBe(await lastSequence(store));
        let entries = 0;
        for await (const _ of store.list(LOG_PREFIX)) entries++;
        expect(entries).toBe(1);
        expect(normalized(await readLiveSet(store))).toEqual(expected);
      }
    });
  });
}
