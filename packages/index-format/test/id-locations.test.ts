import { MemoryBlobStore } from '@squash/storage';
import { describe, expect, it } from 'vitest';
import { readIdLocations } from '../src/id-locations.ts';
import { loadManifest } from '../src/load-manifest.ts';
import { publishIndex } from '../src/publish-index.ts';
import { DATA, smallIndex } from './support/fixtures.ts';

const index = smallIndex('l2', true);

/** Where each global row sits, from the built index itself: the expected answer. */
function expectedLocations(idOf: (row: number) => string): Map<string, { partition: number; row: number }> {
  const expected = new Map<string, { partition: number; row: number }>();
  index.parts.partitions.forEach((partition, p) => {
    partition.rowIds.forEach((globalRow, local) => {
      expected.set(idOf(globalRow), { partition: p, row: local });
    });
  });
  return expected;
}

describe('readIdLocations', () => {
  it('maps every string id to its partition and local row', async () => {
    const store = new MemoryBlobStore();
    const ids = Array.from({ length: DATA.n }, (_, row) => `id-${row}`);
    await publishIndex(store, index, { name: 'strings', ids });
    const locations = await readIdLocations(store, await loadManifest(store));
    expect(locations.size).toBe(DATA.n);
    expect(locations).toEqual(expectedLocations((row) => ids[row]!));
  });

  it('maps the decimal global row to its location when ids are row numbers', async () => {
    const store = new MemoryBlobStore();
    await publishIndex(store, index, { name: 'rows' });
    const manifest = await loadManifest(store);
    expect(manifest.idsKind).toBe('row-number');
    expect(await readIdLocations(store, manifest)).toEqual(expectedLocations(String));
  });

  it('fails with INDEX_CORRUPT naming the ids object when one is missing', async () => {
    const store = new MemoryBlobStore();
    await publishIndex(store, index, {
      name: 'broken',
      ids: Array.from({ length: DATA.n }, (_, r) => `x${r}`),
    });
    const manifest = await loadManifest(store);
    const key = `versions/${manifest.version}/${manifest.partitions[1]!.objects.ids!.key}`;
    await store.delete(key);
    await expect(readIdLocations(store, manifest)).rejects.toMatchObject({
      code: 'INDEX_CORRUPT',
      message: expect.stringContaining(key),
    });
  });
});
