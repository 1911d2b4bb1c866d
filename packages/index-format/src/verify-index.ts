import type { BlobStore } from '@squash/storage';
import { IndexCorruptError } from './index-format-errors.ts';
import { loadManifest } from './load-manifest.ts';
import { decodeRouting } from './load-routing.ts';
import type { IndexManifest, ObjectRef, PartitionEntry } from './manifest.ts';
import { decodePartition } from './partition-objects.ts';
import { type ObjectBytes, readObject } from './read-object.ts';
import { manifestKey } from './store-layout.ts';

export interface VerifyProblem {
  /** Full store key of the object at fault. */
  readonly key: string;
  readonly message: string;
}

export interface VerifyReport {
  readonly version: string;
  /** Objects checked (the manifest excluded). */
  readonly objects: number;
  /** Bytes read and checked. */
  readonly bytes: number;
  readonly ok: boolean;
  readonly problems: VerifyProblem[];
}

/**
 * Checks a whole version without stopping at the first fault: the manifest parses; every object
 * it lists is present, of the recorded size and CRC-32C; the routing objects and every
 * partition decode and agree with the manifest (including the centroid and radius it repeats).
 * Reads each object once, one partition at a time.
 *
 * @throws IndexNotFoundError when there is no `CURRENT` or no such version.
 */
export async function verifyIndex(store: BlobStore, version?: string): Promise<VerifyReport> {
  let manifest: IndexManifest;
  try {
    manifest = await loadManifest(store, version);
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    const pinned = version ?? error.key.split('/')[1] ?? '';
    return {
      version: pinned,
      objects: 0,
      bytes: 0,
      ok: false,
      problems: [{ key: error.key, message: error.message }],
    };
  }
  const problems: VerifyProblem[] = [];
  let objects = 0;
  let bytes = 0;
  const read = async (ref: ObjectRef | undefined): Promise<ObjectBytes | undefined> => {
    if (ref === undefined) return undefined;
    objects++;
    const result = await attempt(() => readObject(store, manifest.version, ref, true), problems);
    bytes += result?.bytes.byteLength ?? 0;
    return result;
  };
  await verifyRouting(manifest, read, problems);
  for (const entry of manifest.partitions) await verifyPartition(manifest, entry, read, problems);
  return { version: manifest.version, objects, bytes, ok: problems.length === 0, problems };
}

async function verifyPartition(
  manifest: IndexManifest,
  entry: PartitionEntry,
  read: (ref: ObjectRef | undefined) => Promise<ObjectBytes | undefined>,
  problems: VerifyProblem[],
): Promise<void> {
  const o = entry.objects;
  const [vectors, osqCodes, binaryCodes, rowIds, quantizer] = await Promise.all(
    [o.vectors, o.osqCodes, o.binaryCodes, o.rowIds, o.quantizer].map(read),
  );
  const attributes = await read(o.attributes);
  const ids = await read(o.ids);
  if (!vectors || !osqCodes || !binaryCodes || !rowIds || !quantizer) return;
  if ((o.attributes && !attributes) || (o.ids && !ids)) return;
  const context = {
    metric: manifest.metric,
    dim: manifest.dim,
    count: manifest.count,
    attributes: manifest.attributes,
  };
  await attempt(
    async () =>
      decodePartition(entry, { vectors, osqCodes, binaryCodes, rowIds, quantizer, attributes, ids }, context),
    problems,
  );
}

async function verifyRouting(
  manifest: IndexManifest,
  read: (ref: ObjectRef | undefined) => Promise<ObjectBytes | undefined>,
  problems: VerifyProblem[],
): Promise<void> {
  const { routing } = manifest;
  const [leanvec, centroids, radii, membership, quantized] = await Promise.all([
    read(manifest.leanvec),
    read(routing.centroids),
    read(routing.radii),
    read(routing.membership),
    read(routing.quantizedAttributes),
  ]);
  if (!leanvec || !centroids || !radii || !membership || (routing.quantizedAttributes && !quantized)) return;
  const decoded = await attempt(
    async () => decodeRouting(manifest, { leanvec, centroids, radii, membership, quantized }),
    problems,
  );
  if (decoded === undefined) return;
  const d = manifest.reducedDim;
  for (const entry of manifest.partitions) {
    const same =
      decoded.radii[entry.id] === entry.radius &&
      entry.centroid.every((value, j) => decoded.centroids[entry.id * d + j] === value);
    if (!same) {
      problems.push({
        key: manifestKey(manifest.version),
        message: `partitions[${entry.id}] centroid or radius differs from the routing objects`,
      });
    }
  }
}

/** Runs `fn`; an `IndexCorruptError` becomes a problem and `undefined`, anything else rethrows. */
async function attempt<T>(fn: () => Promise<T>, problems: VerifyProblem[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    problems.push({ key: error.key, message: error.message });
    return undefined;
  }
}
