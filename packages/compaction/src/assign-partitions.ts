import { type LeanVecModel, l2Impl, projectData } from '@squash/core';

/**
 * The partition of each new row: the nearest centroid by squared L2 in the LeanVec-reduced space,
 * the rule balanced k-means assigns rows by and the one the routing's hyperplane bound assumes
 * (ties: lower partition). `vectors` is n x D.
 */
export function assignPartitions(
  leanvec: LeanVecModel,
  centroids: Float32Array,
  vectors: Float32Array,
  n: number,
): Uint32Array {
  const d = leanvec.outputDim;
  const partitions = centroids.length / d;
  const reduced = projectData(leanvec, vectors, n);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let p = 0; p < partitions; p++) {
      const distance = l2Impl(reduced, i * d, centroids, p * d, d);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = p;
      }
    }
    out[i] = best;
  }
  return out;
}
