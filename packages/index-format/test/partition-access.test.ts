import { MemoryBlobStore } from '@squash/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../src/load-manifest.ts';
import { loadPartition } from '../src/load-partition.ts';
import { loadRouting } from '../src/load-routing.ts';
import type { IndexManifest } from '../src/manifest.ts';
import { partitionObjects } from '../src/manifest.ts';
import { publishIndex } from '../src/publish-index.ts';
import { readVectorRows } from '../src/read-vector-rows.ts';
import { DATA, smallIndex } from './support/fixtures.ts';
import { RecordingStore } from './support/store-wrappers.ts';

const index = smallIndex('l2', true);
const ids = Array.from({ length: DATA.n }, (_, row) => `id-${row}`);
let store: RecordingStore;
let manifest: IndexManifest;

beforeAll(async () => {
  store = new RecordingStore(new MemoryBlobStore());
  await publishIndex(store, index, { name: 'parts', ids });
  manifest = await loadManifest(store);
});

function rowsOf(partition: number, localRows: number[]): Float32Array {
  const { vectors, dim } = index.parts.partitions[partition]!;
  const out = new Float32Array(localRows.length * dim);
  localRows.forEach((row, k) => {
    out.set(vectors.subarray(row * dim, (row + 1) * dim), k * dim);
  });
  return out;
}

describe('loadPartition', () => {
  it('returns each partition equal to the in-memory one, with its ids and the bytes it read', async () => {
    for (const entry of manifest.partitions) {
      const loaded = await loadPartition(store, manifest, entry.id);
      const original = index.parts.partitions[entry.id]!;
      expect(loaded.data).toEqual(original);
      expect(loaded.ids).toEqual(Array.from(original.rowIds, (row) => ids[row]));
      expect(loaded.bytesRead).toBe(partitionObjects(entry).reduce((sum, ref) => sum + ref.bytes, 0));
    }
  });

  it('rejects an unknown partition with INVALID_ARGUMENT', async () => {
    await expect(loadPartition(store, manifest, 4)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('loadRouting', () => {
  it('returns the model, centroids, radii, membership, quantized attributes and schema', async () => {
    const routing = await loadRouting(store, manifest);
    expect(routing.leanvec).toEqual(index.parts.leanvec);
    expect(routing.centroids).toEqual(index.parts.centroids);
    expect(routing.radii).toEqual(index.parts.radii);
    expect(routing.membership).toEqual(index.parts.membership);
    expect(routing.quantizedAttributes).toEqual(index.parts.quantizedAttributes);
    expect(routing.schema).toEqual(DATA.schema);
    expect(routing.bytesRead).toBeGreaterThan(DATA.n * 4);
  });
});

describe('readVectorRows', () => {
  it('returns the requested rows in request order, duplicates included', async () => {
    const partition = 2;
    const rows = manifest.partitions[partition]!.rows;
    const localRows = [rows - 1, 0, 5, 5, 6, 7, 300, 301];
    expect(await readVectorRows(store, manifest, partition, localRows)).toEqual(rowsOf(partition, localRows));
  });

  it('coalesces adjacent rows into one ranged read and never issues suffix ranges', async () => {
    store.ranges.length = 0;
    await readVectorRows(store, manifest, 1, [9, 3, 4, 5, 20, 21, 40]);
    const rowBytes = DATA.dim * 4;
    expect(store.ranges.map((r) => [r.offset, r.length])).toEqual([
      [40 + 3 * rowBytes, 3 * rowBytes],
      [40 + 9 * rowBytes, rowBytes],
      [40 + 20 * rowBytes, 2 * rowBytes],
      [40 + 40 * rowBytes, rowBytes],
    ]);
    expect(store.ranges.every((r) => r.key.endsWith('partitions/00001/vectors.bin'))).toBe(true);
  });

  it('bridges gaps up to maxGapBytes in one read', async () => {
    store.ranges.length = 0;
    const localRows = [3, 5, 9, 40];
    const rows = await readVectorRows(store, manifest, 1, localRows, { maxGapBytes: 3 * DATA.dim * 4 });
    expect(rows).toEqual(rowsOf(1, localRows));
    expect(store.ranges.map((r) => r.length / (DATA.dim * 4))).toEqual([7, 1]);
  });

  it('returns an empty array for no rows and rejects rows outside the partition', async () => {
    expect(await readVectorRows(store, manifest, 0, [])).toEqual(new Float32Array(0));
    const rows = manifest.partitions[0]!.rows;
    await expect(readVectorRows(store, manifest, 0, [rows])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(readVectorRows(store, manifest, 0, [1.5])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
