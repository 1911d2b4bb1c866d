import type { PartitionData } from '@squash/core';
import { InvalidArgumentError } from '@squash/errors';
import type { BlobStore } from '@squash/storage';
import type { LoadOptions } from './load-options.ts';
import type { IndexManifest, ObjectRef, PartitionEntry } from './manifest.ts';
import { decodePartition } from './partition-objects.ts';
import { type ObjectBytes, readObject } from './read-object.ts';

export interface LoadedPartition {
  readonly data: PartitionData;
  /** String ids of the partition's rows (local order), or null when ids are row numbers. */
  readonly ids: string[] | null;
  /** Bytes fetched from the store (the manifest excluded). */
  readonly bytesRead: number;
}

/**
 * Loads one partition of a pinned manifest: what a processor reads on a cold start. Its objects
 * are fetched in parallel, checked (size always, CRC-32C unless `verify: false`) and decoded
 * into a `PartitionData` ready for `PartitionSearcher`; numeric arrays are views on the fetched
 * buffers, not copies.
 *
 * @throws InvalidArgumentError when the manifest has no such partition.
 * @throws IndexCorruptError naming the object that is missing, damaged or inconsistent.
 */
export async function loadPartition(
  store: BlobStore,
  manifest: IndexManifest,
  partitionId: number,
  options: LoadOptions = {},
): Promise<LoadedPartition> {
  const entry = partitionEntry(manifest, partitionId);
  const verify = options.verify ?? true;
  const read = (ref: ObjectRef): Promise<ObjectBytes> => readObject(store, manifest.version, ref, verify);
  const optional = (ref: ObjectRef | undefined): Promise<ObjectBytes | undefined> =>
    ref === undefined ? Promise.resolve(undefined) : read(ref);
  const { objects } = entry;
  const [vectors, osqCodes, binaryCodes, rowIds, quantizer, attributes, ids] = await Promise.all([
    read(objects.vectors),
    read(objects.osqCodes),
    read(objects.binaryCodes),
    read(objects.rowIds),
    read(objects.quantizer),
    optional(objects.attributes),
    optional(objects.ids),
  ]);
  const decoded = decodePartition(
    entry,
    { vectors, osqCodes, binaryCodes, rowIds, quantizer, attributes, ids },
    { metric: manifest.metric, dim: manifest.dim, count: manifest.count, attributes: manifest.attributes },
  );
  const bytesRead = [vectors, osqCodes, binaryCodes, rowIds, quantizer, attributes, ids].reduce(
    (sum, object) => sum + (object?.bytes.byteLength ?? 0),
    0,
  );
  return { ...decoded, bytesRead };
}

/** The manifest entry of a partition. @throws InvalidArgumentError when there is none. */
export function partitionEntry(manifest: IndexManifest, partitionId: number): PartitionEntry {
  const entry = Number.isInteger(partitionId) ? manifest.partitions[partitionId] : undefined;
  if (entry === undefined) {
    throw new InvalidArgumentError(
      'partitionId',
      `partition ${partitionId} does not exist; index "${manifest.name}" version ${manifest.version} has partitions 0..${manifest.partitions.length - 1}`,
    );
  }
  return entry;
}
