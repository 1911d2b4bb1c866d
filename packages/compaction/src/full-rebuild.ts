import { buildAttributeColumns, buildIndex, defaultBuildParameters, type VectorIndex } from '@squash/core';
import {
  type IndexDefinition,
  type IndexManifest,
  loadIndex,
  loadPartitionMetadata,
  mapLimit,
  type PublishResult,
  publishIndex,
  type RowMetadata,
} from '@squash/index-format';
import type { BlobStore } from '@squash/storage';
import type { AttributeValues } from './attribute-codes.ts';
import { type LiveRows, valuesAt, withTail } from './live-rows.ts';
import type { CompactionSnapshot } from './snapshot.ts';

/**
 * Gathers every live row (base rows whose id the tail does not touch, then the tail's upserts)
 * into memory: the input of a full rebuild.
 */
export async function gatherLiveRows(
  store: BlobStore,
  snapshot: CompactionSnapshot,
  dim: number,
  concurrency: number,
): Promise<LiveRows> {
  const { tail, manifest } = snapshot;
  const base = {
    vectors: [] as Float32Array[],
    ids: [] as string[],
    attributes: [] as AttributeValues[],
    metadata: [] as RowMetadata[],
  };
  if (manifest !== undefined) {
    const loaded = await loadIndex(store, { version: manifest.version, concurrency });
    const metadata = await mapLimit(manifest.partitions, concurrency, (entry) =>
      loadPartitionMetadata(store, manifest, entry.id),
    );
    const { parts } = loaded.index;
    for (const partition of parts.partitions) {
      const partitionMetadata = metadata[partition.partitionId]!;
      partition.rowIds.forEach((row, j) => {
        const id = loaded.idOf(row);
        if (tail.rows.has(id) || tail.deleted.has(id)) return;
        base.vectors.push(partition.vectors.subarray(j * dim, (j + 1) * dim));
        base.ids.push(id);
        base.attributes.push(valuesAt(parts.attributes, row));
        base.metadata.push(partitionMetadata[j]);
      });
    }
  }
  return withTail(base, tail.rows, dim);
}

export interface RebuildParameters {
  readonly partitions: number;
  readonly leanvecDim: number;
  readonly bitsPerDim: number;
  readonly seed: number;
}

/**
 * Build parameters for a rebuild of `count` rows: the base's LeanVec dimension, bit budget and
 * seed, and its rows-per-partition ratio (so an index built with small partitions keeps them);
 * without a base, `buildIndex`'s defaults.
 */
export function rebuildParameters(
  base: IndexManifest | undefined,
  count: number,
  dim: number,
): RebuildParameters {
  const defaults = defaultBuildParameters(count, dim);
  if (base === undefined) return { ...defaults, bitsPerDim: 4, seed: 0 };
  const { partitions, leanvecDim, bitsPerDim, seed } = base.buildParameters;
  const scaled = Math.round((count * partitions) / base.count);
  return {
    partitions: Math.max(1, Math.min(256, scaled, count)),
    leanvecDim: Math.min(leanvecDim, dim),
    bitsPerDim,
    seed,
  };
}

/**
 * Trains a new index over the live rows (LeanVec, balanced k-means, OSQ, attribute cells: the
 * same `buildIndex` as `squash build`) and publishes it with string ids, the rows' metadata and
 * `logSequence` = the snapshot's last sequence, moving `CURRENT` only if it is still the
 * snapshot's.
 */
export async function rebuildFully(
  store: BlobStore,
  definition: IndexDefinition,
  snapshot: CompactionSnapshot,
  live: LiveRows,
  options: { readonly now?: Date; readonly concurrency: number },
): Promise<{ published: PublishResult; parameters: RebuildParameters; index: VectorIndex }> {
  const parameters = rebuildParameters(snapshot.manifest, live.count, definition.dim);
  const withAttributes = Object.keys(definition.schema).length > 0;
  const index = buildIndex(live.vectors, live.count, definition.dim, {
    metric: definition.metric,
    ...parameters,
    ...(withAttributes
      ? {
          attributes: buildAttributeColumns(live.attributes, definition.schema, {
            unknownAttributes: 'ignore',
          }),
        }
      : {}),
  });
  const published = await publishIndex(
    store,
    index,
    {
      name: definition.name,
      ids: live.ids,
      metadata: live.metadata,
      logSequence: snapshot.tail.lastSequence,
    },
    {
      concurrency: options.concurrency,
      expectCurrent: snapshot.current,
      ...(options.now === undefined ? {} : { now: options.now }),
    },
  );
  return { published, parameters, index };
}
