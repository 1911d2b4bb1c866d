import { createBitmap } from '../bitmap/bitmap.ts';
import type { PartitionData } from './partition-data.ts';

/** A code-level filter result split by partition. */
export interface RoutingFilter {
  /** Rows that may match, over all partitions. */
  readonly total: number;
  /** Rows that may match, per partition. A partition with 0 is never visited. */
  readonly counts: Uint32Array;
  /** Per partition, the local rows that may match (bit i = local row i). */
  readonly perPartition: readonly Uint32Array[];
}

/**
 * Splits a global candidate bitmap (bit r = global row r) into per-partition local bitmaps, the
 * compact form a coordinator ships to processors. Costs O(rows / 32 + candidates).
 */
export function routeFilter(
  candidates: Uint32Array,
  membership: Uint32Array,
  partitionSizes: Uint32Array,
  partitions: readonly PartitionData[],
): RoutingFilter {
  const localIndex = localPositions(membership, partitionSizes.length, partitions);
  const counts = new Uint32Array(partitionSizes.length);
  const perPartition = Array.from(partitionSizes, (size) => createBitmap(size));
  let total = 0;
  for (let w = 0; w < candidates.length; w++) {
    let word = candidates[w]!;
    while (word !== 0) {
      const bit = 31 - Math.clz32(word & -word);
      word &= word - 1;
      const row = w * 32 + bit;
      const p = membership[row]!;
      const local = localIndex[row]!;
      perPartition[p]![local >>> 5]! |= 1 << (local & 31);
      counts[p]!++;
      total++;
    }
  }
  return { total, counts, perPartition };
}

const localIndexCache = new WeakMap<Uint32Array, Uint32Array>();

/** Position of each global row within its partition (cached per membership array). */
function localPositions(
  membership: Uint32Array,
  partitionCount: number,
  partitions: readonly PartitionData[],
): Uint32Array {
  const cached = localIndexCache.get(membership);
  if (cached !== undefined) return cached;
  const local = new Uint32Array(membership.length);
  for (let p = 0; p < partitionCount; p++) {
    const rowIds = partitions[p]!.rowIds;
    for (let i = 0; i < rowIds.length; i++) local[rowIds[i]!] = i;
  }
  localIndexCache.set(membership, local);
  return local;
}
