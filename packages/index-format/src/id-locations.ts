import type { BlobStore } from '@squash/storage';
import { BlockReader } from './block-reader.ts';
import type { IndexManifest } from './manifest.ts';
import { mapLimit } from './map-limit.ts';
import { readObject } from './read-object.ts';

/** Where one row of a version lives. */
export interface RowLocation {
  readonly partition: number;
  /** Position within the partition (local row). */
  readonly row: number;
}

/**
 * Row id -> (partition, local row) for every row of a version. For `idsKind: 'strings'` the ids
 * are the partitions' `ids` objects; for `'row-number'` the id is the decimal global row, so the
 * partitions' `rowIds` objects are read instead.
 *
 * Cost: one GET per partition of its ids (or row ids) object, checked like every load, and a map
 * of `count` entries in memory (tens of bytes per row plus the id strings): worth it only when
 * something must be found by id (a write masking base rows, a fetch), which is why the query path
 * loads it lazily, once per pinned version.
 *
 * @throws IndexCorruptError naming the object that is missing or damaged.
 */
export async function readIdLocations(
  store: BlobStore,
  manifest: IndexManifest,
  options: { readonly verify?: boolean; readonly concurrency?: number } = {},
): Promise<Map<string, RowLocation>> {
  const verify = options.verify ?? true;
  const perPartition = await mapLimit(manifest.partitions, options.concurrency ?? 8, async (entry) => {
    if (manifest.idsKind === 'strings' && entry.objects.ids !== undefined) {
      const object = await readObject(store, manifest.version, entry.objects.ids, verify);
      const reader = new BlockReader(object.bytes, object.key);
      const ids = reader.strings('IDST', entry.rows);
      reader.end();
      return ids;
    }
    const object = await readObject(store, manifest.version, entry.objects.rowIds, verify);
    const reader = new BlockReader(object.bytes, object.key);
    const rowIds = reader.numeric<Uint32Array>('ROWS', 'u32', [entry.rows]);
    reader.end();
    return Array.from(rowIds, String);
  });
  const locations = new Map<string, RowLocation>();
  perPartition.forEach((ids, partition) => {
    ids.forEach((id, row) => {
      locations.set(id, { partition, row });
    });
  });
  return locations;
}
