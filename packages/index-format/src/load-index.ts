import { VectorIndex, type VectorIndexParts } from '@squash/core';
import { InvalidArgumentError } from '@squash/errors';
import type { BlobStore } from '@squash/storage';
import { scatterAttributes } from './attribute-objects.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import { loadManifestBytes } from './load-manifest.ts';
import type { LoadOptions } from './load-options.ts';
import { type LoadedPartition, loadPartition } from './load-partition.ts';
import { loadRouting } from './load-routing.ts';
import type { IndexManifest } from './manifest.ts';
import { mapLimit } from './map-limit.ts';

export interface LoadIndexOptions extends LoadOptions {
  /** Version to load. @default the current version */
  readonly version?: string;
  /** Partitions fetched at once. @default 4 */
  readonly concurrency?: number;
}

export interface LoadedIndex {
  readonly manifest: IndexManifest;
  /** The whole index in memory; searches return exactly what the published index returned. */
  readonly index: VectorIndex;
  /** Bytes fetched from the store, the manifest included. */
  readonly bytesRead: number;
  /** The result id of a global row (`String(row)` for `row-number` ids). */
  idOf(row: number): string;
}

/**
 * Loads a whole version into one in-memory `VectorIndex` (a local query service, the CLI, tests):
 * manifest, routing objects and every partition, each object checked as in `loadPartition`. The
 * restored parts are field-for-field equal to the published ones, so search results (ids and
 * distances) are identical to the in-memory index that was published.
 *
 * @throws IndexNotFoundError when there is no `CURRENT` or no such version.
 * @throws IndexCorruptError naming the first damaged object.
 */
export async function loadIndex(store: BlobStore, options: LoadIndexOptions = {}): Promise<LoadedIndex> {
  const { manifest, bytesRead: manifestBytes } = await loadManifestBytes(store, options.version);
  const verify = options.verify ?? true;
  const routing = await loadRouting(store, manifest, { verify });
  const loaded = await mapLimit(manifest.partitions, options.concurrency ?? 4, (entry) =>
    loadPartition(store, manifest, entry.id, { verify }),
  );
  const partitions = loaded.map((p) => p.data);
  checkMembership(manifest, routing.membership, loaded);
  const parts: VectorIndexParts = {
    metric: manifest.metric,
    dim: manifest.dim,
    count: manifest.count,
    leanvec: routing.leanvec,
    centroids: routing.centroids,
    radii: routing.radii,
    membership: routing.membership,
    partitions,
    attributes:
      manifest.attributes === null
        ? undefined
        : scatterAttributes(partitions, manifest.attributes, manifest.count),
    quantizedAttributes: routing.quantizedAttributes,
    buildParameters: { ...manifest.buildParameters },
  };
  const ids = manifest.idsKind === 'strings' ? gatherIds(manifest.count, loaded) : null;
  return {
    manifest,
    index: new VectorIndex(parts),
    bytesRead: manifestBytes + routing.bytesRead + loaded.reduce((sum, p) => sum + p.bytesRead, 0),
    idOf: (row: number): string => {
      if (!Number.isInteger(row) || row < 0 || row >= manifest.count) {
        throw new InvalidArgumentError('row', `row ${row} is outside 0..${manifest.count - 1}`);
      }
      return ids === null ? String(row) : ids[row]!;
    },
  };
}

/** Every row must sit in the partition membership names, or filtered routing would miss it. */
function checkMembership(
  manifest: IndexManifest,
  membership: Uint32Array,
  loaded: readonly LoadedPartition[],
): void {
  for (const { data } of loaded) {
    for (const row of data.rowIds) {
      if (membership[row] !== data.partitionId) {
        throw new IndexCorruptError(
          `versions/${manifest.version}/${manifest.routing.membership.key}`,
          `membership puts row ${row} in partition ${membership[row]}; partition ${data.partitionId} lists it`,
        );
      }
    }
  }
}

function gatherIds(count: number, loaded: readonly LoadedPartition[]): string[] {
  const ids = new Array<string>(count);
  for (const { data, ids: local } of loaded) {
    for (let j = 0; j < data.rowIds.length; j++) ids[data.rowIds[j]!] = local![j]!;
  }
  return ids;
}
