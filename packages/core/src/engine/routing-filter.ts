import { createBitmap } from '../bitmap/bitmap.ts';

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
): RoutingFilter {
  const localIndex = localPositions(membership, partitionSizes.length);
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

/**
 * Position of each global row within its partition (cached per membership array). A partition's
 * rows are stored in ascending global row order, so a row's local position is the number of
 * earlier rows of the same partition.
 */
export function localPositions(membership: Uint32Array, partitionCount: number): Uint32Array {
  const cached = localIndexCache.get(membership);
  if (cached !== undefined) return cached;
  const next = new Uint32Array(partitionCount);
  const local = new Uint32Array(membership.length);
  for (let row = 0; row < membership.length; row++) local[row] = next[membership[row]!]!++;
  localIndexCache.set(membership, local);
  return local;
}
