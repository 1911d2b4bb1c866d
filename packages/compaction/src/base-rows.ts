import { type IndexManifest, loadRowIds, mapLimit } from '@squash/index-format';
import type { BlobStore } from '@squash/storage';

/** Where each result id of a base version lives. */
export interface BaseRows {
  /** Global row number of each result id. */
  readonly rowOf: ReadonlyMap<string, number>;
  /** Per partition: global row ids (ascending) and result ids, local order. */
  readonly partitions: ReadonlyArray<{ readonly rowIds: Uint32Array; readonly ids: readonly string[] }>;
  /** Partition and local position of each global row. */
  readonly partitionOf: Uint32Array;
  readonly localOf: Uint32Array;
}

/**
 * Reads the row-ids (and ids) objects of every partition: a few bytes per row, no vectors, so
 * the compactor can mask replaced and deleted ids and plan before touching any partition.
 */
export async function loadBaseRows(
  store: BlobStore,
  manifest: IndexManifest,
  concurrency: number,
): Promise<BaseRows> {
  const partitions = await mapLimit(manifest.partitions, concurrency, (entry) =>
    loadRowIds(store, manifest, entry.id),
  );
  const rowOf = new Map<string, number>();
  const partitionOf = new Uint32Array(manifest.count);
  const localOf = new Uint32Array(manifest.count);
  partitions.forEach(({ rowIds, ids }, p) => {
    for (let j = 0; j < rowIds.length; j++) {
      rowOf.set(ids[j]!, rowIds[j]!);
      partitionOf[rowIds[j]!] = p;
      localOf[rowIds[j]!] = j;
    }
  });
  return { rowOf, partitions, partitionOf, localOf };
}
