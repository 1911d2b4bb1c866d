import { assignBalancedImpl } from './assign-balanced.ts';
import { assertKnownOptions, assertMatrix } from './kmeans-validation.ts';
import type { PartitionSizeBounds } from './partition-size-bounds.ts';
import {
  resolveTrainOptions,
  TRAIN_OPTION_KEYS,
  type TrainCentroidsOptions,
  trainCentroidsImpl,
} from './train-centroids.ts';

/**
 * Options of `balancedKMeans`: those of `trainCentroids`. `tolerance` (default 0.1) is the
 * allowed relative deviation of each partition's size from n / partitions: tighter balance
 * evens out per-partition search cost and storage, looser balance lets rows stay with their
 * nearest centroid (lower inertia).
 */
export type BalancedKMeansOptions = TrainCentroidsOptions;

export interface BalancedKMeansResult {
  /** partitions x dim, row-major: the mean of each partition's rows. */
  readonly centroids: Float32Array;
  /** Partition of each of the n rows. */
  readonly assignments: Uint32Array;
  /** Rows per partition; each within `sizeBounds`. */
  readonly sizes: Uint32Array;
  /** Plain Lloyd assignment steps run on the training sample. */
  readonly iterations: number;
  /** Balanced Lloyd iterations run on the training sample after them. */
  readonly balancedIterations: number;
  /** Sum over all n rows of the squared L2 distance to their partition's centroid. */
  readonly inertia: number;
  /** Inclusive size bounds every partition meets. */
  readonly sizeBounds: PartitionSizeBounds;
  /** Rows the training sample held. */
  readonly trainRows: number;
}

/**
 * Balanced k-means under squared L2, for partitioning an index: every partition receives between
 * ceil((1 - tolerance) n / P) and floor((1 + tolerance) n / P) rows (widened to floor/ceil of
 * n / P when that range is empty), so no partition is much larger, slower to scan or costlier to
 * fetch than the others.
 *
 * 1. `trainCentroids`: k-means++ seeding, plain Lloyd iterations, then balanced Lloyd
 *    iterations, all on a seeded sample of `trainRows` rows.
 * 2. `assignBalanced`: every row's 8 nearest centroids, a capacity-constrained greedy pass by
 *    regret, bound-respecting moves and swaps, then centroids recomputed as member means.
 *
 * Deterministic: the same data, options, seed and backend give identical output (all orders are
 * by value with index tie-breaks; the only randomness is one `SeededRandom`). The TypeScript and
 * WebAssembly kernels round differently, so across backends only the quality is comparable.
 *
 * Cost, roughly: (1 + iterations + balancedIterations) x trainRows x P x dim multiply-adds to
 * train, plus n x P x dim to assign. 1,000,000 x 128 rows into 100 partitions took about 7 s of
 * CPU with WebAssembly and 16 s with the TypeScript kernels on one x86-64 core
 * (`packages/core/bench/kmeans.bench.ts`).
 *
 * @throws InvalidArgumentError when n or dim is not a positive integer, `data.length` is not
 *   n x dim or holds a non-finite value, `partitions` is not an integer in 1..n, or an option is
 *   unknown or out of range.
 * @throws SquashError `WASM_UNAVAILABLE` when `backend: 'wasm'` cannot run.
 */
export function balancedKMeans(
  data: Float32Array,
  n: number,
  dim: number,
  options: BalancedKMeansOptions,
): BalancedKMeansResult {
  assertMatrix(data, n, dim);
  assertKnownOptions(options, TRAIN_OPTION_KEYS);
  const resolved = resolveTrainOptions(n, options);
  const trained = trainCentroidsImpl(data, n, dim, resolved);
  const assigned = assignBalancedImpl(
    data,
    n,
    dim,
    trained.centroids,
    resolved.partitions,
    resolved.tolerance,
    resolved.backend,
  );
  return {
    centroids: assigned.centroids,
    assignments: assigned.assignments,
    sizes: assigned.sizes,
    iterations: trained.iterations,
    balancedIterations: trained.balancedIterations,
    inertia: assigned.inertia,
    sizeBounds: assigned.sizeBounds,
    trainRows: trained.trainRows,
  };
}
