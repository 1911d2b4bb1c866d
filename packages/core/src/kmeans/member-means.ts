import { squaredL2Impl } from './squared-l2-kernels.ts';

/** Centroids recomputed from final members, and the inertia against them. */
export interface MemberMeans {
  /** partitions x dim; the float32 rounding of each partition's float64 mean. */
  readonly centroids: Float32Array;
  /** Sum over all rows of the squared L2 distance to the returned centroid of their partition. */
  readonly inertia: number;
}

/**
 * Mean of each partition's rows (accumulated in float64), then the inertia of the assignment
 * against those means. A partition without rows keeps `fallback`'s centroid; the balanced
 * assignment never leaves one empty when partitions <= n.
 */
export function memberMeansImpl(
  data: Float32Array,
  n: number,
  dim: number,
  assignments: Uint32Array,
  partitions: number,
  fallback: Float32Array,
): MemberMeans {
  const sums = new Float64Array(partitions * dim);
  const counts = new Uint32Array(partitions);
  for (let i = 0; i < n; i++) {
    const c = assignments[i]!;
    counts[c]!++;
    const rowOffset = i * dim;
    const sumOffset = c * dim;
    for (let j = 0; j < dim; j++) sums[sumOffset + j]! += data[rowOffset + j]!;
  }
  const centroids = Float32Array.from(fallback.subarray(0, partitions * dim));
  for (let c = 0; c < partitions; c++) {
    const count = counts[c]!;
    if (count === 0) continue;
    for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j]! / count;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredL2Impl(data, i * dim, centroids, assignments[i]! * dim, dim);
  return { centroids, inertia };
}
