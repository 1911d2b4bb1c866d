import { MemoryBlobStore } from '@squash/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIndex } from '../src/load-index.ts';
import { loadManifest } from '../src/load-manifest.ts';
import type { IndexManifest } from '../src/manifest.ts';
import {
  decodeMetadataObject,
  encodeMetadataObject,
  loadPartitionMetadata,
  readRowMetadata,
} from '../src/metadata-object.ts';
import { publishIndex } from '../src/publish-index.ts';
import { objectKey } from '../src/store-layout.ts';
import { verifyIndex } from '../src/verify-index.ts';
import { DATA, smallIndex } from './support/fixtures.ts';
import { RecordingStore } from './support/store-wrappers.ts';

const index = smallIndex('l2', true);
/** Every third row has none; the others carry their row number, nested values and unicode. */
const metadata = Array.from({ length: DATA.n }, (_, row) =>
  row % 3 === 0 ? undefined : { row, title: `doc ${row} — ü`, tags: [row % 5, { deep: row % 2 === 0 }] },
);
let store: RecordingStore;
let manifest: IndexManifest;

beforeAll(async () => {
  store = new RecordingStore(new MemoryBlobStore());
  await publishIndex(store, index, { name: 'meta', metadata });
  manifest = await loadManifest(store);
});

function globalRow(partition: number, local: number): number {
  return index.parts.partitions[partition]!.rowIds[local]!;
}

describe('metadata objects', () => {
  it('round-trip each row, an empty object and no metadata through encode and decode', () => {
    const rows = [{ a: 1 }, undefined, {}, { s: 'x"y' }];
    expect(decodeMetadataObject(encodeMetadataObject(rows), 'k', rows.length)).toEqual(rows);
  });

  it('are published per partition and loaded whole equal to the rows given', async () => {
    for (const entry of manifest.partitions) {
      expect(entry.objects.metadata?.key).toBe(
        `partitions/${String(entry.id).padStart(5, '0')}/metadata.bin`,
      );
      const loaded = await loadPartitionMetadata(store, manifest, entry.id);
      expect(loaded).toEqual(Array.from(index.parts.partitions[entry.id]!.rowIds, (row) => metadata[row]));
    }
    expect((await verifyIndex(store)).ok).toBe(true);
  });

  it('are absent when no row has metadata, and every row then reads as undefined', async () => {
    const plain = new MemoryBlobStore();
    await publishIndex(plain, index, { name: 'plain' });
    const bare = await loadManifest(plain);
    expect(bare.partitions.every((p) => p.objects.metadata === undefined)).toBe(true);
    expect(await readRowMetadata(plain, bare, 1, [0, 2])).toEqual([undefined, undefined]);
    expect((await loadIndex(plain)).index.count).toBe(DATA.n);
  });

  it('reads a few rows with ranged reads only, in request order with duplicates', async () => {
    const partition = 2;
    const rows = [7, 3, 4, 7, 0];
    store.ranges.length = 0;
    store.gets.length = 0;
    const read = await readRowMetadata(store, manifest, partition, rows);
    expect(read).toEqual(rows.map((local) => metadata[globalRow(partition, local)]));
    expect(store.gets).toEqual([]);
    const key = objectKey(manifest.version, manifest.partitions[partition]!.objects.metadata!.key);
    expect(store.ranges.every((r) => r.key === key)).toBe(true);
    // header + offsets, then one read per run of adjacent rows: {0}, {3, 4}, {7}
    expect(store.ranges).toHaveLength(4);
    const fetched = store.ranges.reduce((sum, r) => sum + r.length, 0);
    expect(fetched).toBeLessThan(manifest.partitions[partition]!.objects.metadata!.bytes / 4);
  });

  it('rejects a row outside the partition with INVALID_ARGUMENT', async () => {
    const rows = manifest.partitions[0]!.rows;
    await expect(readRowMetadata(store, manifest, 0, [rows])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('rejects meta.metadata of the wrong length or with a non-object row before writing', async () => {
    const target = new MemoryBlobStore();
    await expect(publishIndex(target, index, { name: 'x', metadata: [{}] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const bad = metadata.map((m, row) => (row === 5 ? ([1] as unknown as Record<string, unknown>) : m));
    await expect(publishIndex(target, index, { name: 'x', metadata: bad })).rejects.toThrow(/metadata\[5\]/);
    expect(await target.get('CURRENT')).toBeUndefined();
  });
});

describe('a damaged metadata object', () => {
  async function damaged(change: (bytes: Uint8Array) => Uint8Array): Promise<MemoryBlobStore> {
    const target = new MemoryBlobStore();
    await publishIndex(target, index, { name: 'damaged', metadata });
    const m = await loadManifest(target);
    const key = objectKey(m.version, m.partitions[1]!.objects.metadata!.key);
    await target.put(key, change((await target.get(key))!));
    return target;
  }

  it('fails a ranged read with INDEX_CORRUPT naming the object when its tag is wrong', async () => {
    const target = await damaged((bytes) => {
      bytes[4] = 'X'.charCodeAt(0);
      return bytes;
    });
    const m = await loadManifest(target);
    await expect(readRowMetadata(target, m, 1, [1])).rejects.toMatchObject({
      code: 'INDEX_CORRUPT',
      key: objectKey(m.version, m.partitions[1]!.objects.metadata!.key),
    });
  });

  it('fails a ranged read with INDEX_CORRUPT when a row is not JSON', async () => {
    const local = [...index.parts.partitions[1]!.rowIds].findIndex((row) => metadata[row] !== undefined);
    const target = await damaged((bytes) => {
      const rows = index.parts.partitions[1]!.rowIds.length;
      const area = 40 + (rows + 1) * 4;
      const start = new DataView(bytes.buffer).getUint32(40 + 4 * local, true);
      bytes[area + start] = '!'.charCodeAt(0);
      return bytes;
    });
    const m = await loadManifest(target);
    await expect(readRowMetadata(target, m, 1, [local])).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
    await expect(loadPartitionMetadata(target, m, 1)).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
  });

  it('fails with INDEX_CORRUPT when truncated or missing', async () => {
    const truncated = await damaged((bytes) => bytes.subarray(0, bytes.byteLength - 16));
    const m = await loadManifest(truncated);
    const last = m.partitions[1]!.rows - 1;
    await expect(readRowMetadata(truncated, m, 1, [last - 1, last])).rejects.toMatchObject({
      code: 'INDEX_CORRUPT',
    });
    await expect(loadPartitionMetadata(truncated, m, 1)).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
    await truncated.delete(objectKey(m.version, m.partitions[1]!.objects.metadata!.key));
    await expect(readRowMetadata(truncated, m, 1, [1])).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
  });
});
