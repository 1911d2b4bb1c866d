import type { CompactionPartitionTask } from '@squash/contracts';
import { decodeFloat32Base64, encodeFloat32Base64, leanVecFromJSON } from '@squash/core';
import {
  encodeMetadataObject,
  encodePartition,
  loadManifest,
  loadPartition,
  loadPartitionMetadata,
  type ObjectRef,
  objectKey,
  type PartitionEntry,
  type PartitionObjects,
  partitionObjectKey,
  readObject,
} from '@squash/index-format';
import { type BlobStore, crc32cHex } from '@squash/storage';
import { compactPartition, type NewRow } from './compact-partition.ts';

/**
 * The work of one affected partition as plain JSON (`CompactionPartitionTask` in contracts, the
 * payload of `{kind: 'partition'}`): what the compactor sends to one invocation of itself in the
 * stack, or runs in-process locally. The runner reads the base partition from the store, rebuilds
 * it (`compactPartition`) and writes its objects into the new version's folder; only the manifest
 * entry comes back. Fields: `baseVersion` (read from), `version` (being written, no manifest
 * yet), `partitionId`, `keepLocal` / `keepRowIds` (surviving local rows, ascending, and their new
 * global row numbers), `add` (rows the log routed here, vectors as base64 of little-endian
 * float32), `maxBitsPerDim` (not in the manifest's build parameters).
 */
export type PartitionTask = CompactionPartitionTask;

export type WireRow = CompactionPartitionTask['add'][number];

/** What a partition task returns: the partition's manifest entry, its objects already written. */
export interface PartitionTaskResult {
  readonly entry: PartitionEntry;
}

export function toWireRow(row: NewRow): WireRow {
  return {
    rowId: row.rowId,
    id: row.id,
    vector: encodeFloat32Base64(row.vector),
    attributes: row.attributes,
    ...(row.metadata === undefined ? {} : { metadata: row.metadata }),
  };
}

/**
 * Runs one partition task against `store` (the index's root): reads the base partition, its
 * metadata and the LeanVec model, rebuilds the partition and uploads its objects under
 * `versions/<task.version>/partitions/<p>/`. Idempotent: a retry overwrites the same keys.
 */
export async function runPartitionTask(store: BlobStore, task: PartitionTask): Promise<PartitionTaskResult> {
  const manifest = await loadManifest(store, task.baseVersion);
  const [loaded, metadata, leanvecObject] = await Promise.all([
    loadPartition(store, manifest, task.partitionId),
    loadPartitionMetadata(store, manifest, task.partitionId),
    readObject(store, manifest.version, manifest.leanvec, true),
  ]);
  const entry = manifest.partitions[task.partitionId]!;
  const rebuilt = compactPartition({
    leanvec: leanVecFromJSON(JSON.parse(new TextDecoder().decode(leanvecObject.bytes))),
    centroid: Float32Array.from(entry.centroid),
    base: {
      data: loaded.data,
      ids: loaded.ids ?? Array.from(loaded.data.rowIds, String),
      metadata,
    },
    keepLocal: task.keepLocal,
    keepRowIds: task.keepRowIds,
    add: task.add.map((row, k) => ({
      rowId: row.rowId,
      id: row.id,
      vector: decodeFloat32Base64(row.vector, `add[${k}].vector`),
      attributes: row.attributes,
      metadata: row.metadata,
    })),
    attributes: manifest.attributes,
    bitsPerDim: manifest.buildParameters.bitsPerDim,
    maxBitsPerDim: task.maxBitsPerDim,
    seed: manifest.buildParameters.seed,
  });
  const idsByRow: string[] = [];
  rebuilt.data.rowIds.forEach((row, j) => {
    idsByRow[row] = rebuilt.ids[j]!;
  });
  const encoded = encodePartition(rebuilt.data, manifest.attributes, idsByRow);
  const objects = [...encoded.objects];
  if (rebuilt.metadata.some((m) => m !== undefined))
    objects.push({ name: 'metadata', bytes: encodeMetadataObject(rebuilt.metadata) });
  const refs: Record<string, ObjectRef> = {};
  for (const { name, bytes } of objects) {
    const key = partitionObjectKey(task.partitionId, name);
    await store.put(objectKey(task.version, key), bytes);
    refs[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = {
      key,
      bytes: bytes.byteLength,
      crc32c: await crc32cHex(bytes),
    };
  }
  return {
    entry: {
      id: task.partitionId,
      rows: rebuilt.data.rowIds.length,
      centroid: entry.centroid,
      radius: rebuilt.radius,
      quantizer: encoded.quantizer,
      objects: refs as unknown as PartitionObjects,
    },
  };
}
