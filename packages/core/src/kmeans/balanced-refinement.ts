import { assignBalancedImpl } from './assign-balanced.ts';

/**
 * Stop refining once an iteration lowers the sample inertia by less than this fraction: later
 * iterations measured at well under 0.1% each on clustered data.
 */
const RELATIVE_IMPROVEMENT_STOP = 1e-4;

export interface BalancedRefinementResult {
  /** The centroids with the lowest balanced sample inertia seen (k x dim). */
  readonly centroids: Float32Array;
  /** Balanced iterations run. */
  readonly iterations: number;
  /** Balanced inertia of the sample against `centroids`; Infinity when no iteration ran. */
  readonly inertia: number;
}

/**
 * Balanced Lloyd iterations on the training sample: assign the sample under the same size
 * tolerance as the final assignment, move each centroid to the mean of its members, repeat.
 *
 * Why: plain k-means centroids follow the natural clusters, and when those are uneven (a
 * centroid between two dense blobs, several centroids sharing one) the size bounds then force
 * many rows away from their nearest centroid. Letting the centroids settle under the
 * constraint moves them to where balanced partitions are compact: on 100k x 128 rows of 128
 * Gaussian blobs into 100 partitions this lowered the final inertia by 11% (178 -> 158 per row),
 * at the cost of about one assignment pass over the sample per iteration.
 *
 * The greedy assignment is a heuristic, so an iteration can raise the inertia; the best
 * centroids seen are kept, and the loop stops after `maxIterations`, on an improvement below
 * 1e-4 relative, or on a rise.
 */
export function balancedRefinementImpl(
  sample: Float32Array,
  m: number,
  dim: number,
  centroids: Float32Array,
  k: number,
  tolerance: number,
  maxIterations: number,
  backend: 'ts' | 'wasm',
): BalancedRefinementResult {
  let best = centroids;
  let bestInertia = Number.POSITIVE_INFINITY;
  let iterations = 0;
  while (iterations < maxIterations) {
    const assigned = assignBalancedImpl(sample, m, dim, best, k, tolerance, backend);
    iterations++;
    const previous = bestInertia;
    if (!(assigned.inertia < previous)) break;
    best = assigned.centroids;
    bestInertia = assigned.inertia;
    if (Number.isFinite(previous) && previous - bestInertia <= RELATIVE_IMPROVEMENT_STOP * previous) break;
  }
  return { centroids: best, iterations, inertia: bestInertia };
}
