import type { BlobStore } from '@squash/storage';
import { BlockReader } from './block-reader.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import { partitionEntry } from './load-partition.ts';
import type { IndexManifest } from './manifest.ts';
import { readObject } from './read-object.ts';

/** Which rows a partition holds: global row ids (ascending) and their result ids. */
export interface PartitionRowIds {
  readonly rowIds: Uint32Array;
  /** Result id of each local row: the stored strings, or `String(rowId)` for `row-number` ids. */
  readonly ids: readonly string[];
}

/**
 * Reads only the row-ids object (and the ids object, when ids are strings) of one partition: what
 * a writer needs to find a result id in the base (compaction masks replaced and deleted rows by
 * id) without loading vectors or codes. Checked like `loadPartition` (size always, CRC-32C with
 * `verify`).
 *
 * @throws InvalidArgumentError when the manifest has no such partition.
 * @throws IndexCorruptError naming the object that is missing, damaged or inconsistent.
 */
export async function loadRowIds(
  store: BlobStore,
  manifest: IndexManifest,
  partitionId: number,
  options: { readonly verify?: boolean } = {},
): Promise<PartitionRowIds> {
  const entry = partitionEntry(manifest, partitionId);
  const verify = options.verify ?? true;
  const [rowIdsObject, idsObject] = await Promise.all([
    readObject(store, manifest.version, entry.objects.rowIds, verify),
    entry.objects.ids === undefined
      ? undefined
      : readObject(store, manifest.version, entry.objects.ids, verify),
  ]);
  const reader = new BlockReader(rowIdsObject.bytes, rowIdsObject.key);
  const rowIds = reader.numeric<Uint32Array>('ROWS', 'u32', [entry.rows]);
  reader.end();
  for (let j = 0; j < rowIds.length; j++) {
    if (rowIds[j]! >= manifest.count || (j > 0 && rowIds[j]! <= rowIds[j - 1]!)) {
      throw new IndexCorruptError(
        rowIdsObject.key,
        `object ${rowIdsObject.key}: row ids are not ascending within 0..${manifest.count - 1}`,
      );
    }
  }
  if (idsObject === undefined) return { rowIds, ids: Array.from(rowIds, String) };
  const idsReader = new BlockReader(idsObject.bytes, idsObject.key);
  const ids = idsReader.strings('IDST', entry.rows);
  idsReader.end();
  return { rowIds, ids };
}
