import { InvalidArgumentError } from '../errors/index.ts';
import { candidateListsImpl } from './candidate-lists.ts';
import { createCentroidDistances } from './centroid-distances.ts';
import { greedyAssignmentImpl } from './greedy-assignment.ts';
import { improveAssignmentImpl } from './improve-assignment.ts';
import { type KMeansBackend, resolveBackend } from './kmeans-backend.ts';
import {
  assertBackend,
  assertCentroids,
  assertKnownOptions,
  assertMatrix,
  assertTolerance,
} from './kmeans-validation.ts';
import { memberMeansImpl } from './member-means.ts';
import { type PartitionSizeBounds, partitionSizeBounds } from './partition-size-bounds.ts';

/** Default balance tolerance: sizes within +-10% of n / partitions. */
export const DEFAULT_TOLERANCE = 0.1;

/**
 * Candidate centroids kept per row. 8 nearest covers the moves a balanced assignment needs
 * (a row pushed out of a full partition almost always lands in one of its next few), at
 * n x 8 x 8 bytes (64 MB for a million rows); rows whose 8 are all full fall back to a scan of
 * every centroid.
 */
const CANDIDATES_PER_ROW = 8;

/** Local-search rounds after the greedy pass (each is one move pass and one swap pass). */
const IMPROVE_ROUNDS = 4;

export interface AssignBalancedOptions {
  /**
   * Allowed relative deviation of each partition's size from n / partitions: sizes lie in
   * [ceil((1 - t) n / P), floor((1 + t) n / P)], widened to floor/ceil of n / P when that range
   * holds no integer. Smaller values even out partition sizes (and so per-partition search cost)
   * at the price of moving more rows away from their nearest centroid (higher inertia, lower
   * recall per probed partition). 0 forces sizes of exactly floor or ceil of n / P.
   * @default 0.1
   */
  readonly tolerance?: number;
  /**
   * Distance kernels (see `KMeansBackend`).
   * @default 'auto'
   */
  readonly backend?: KMeansBackend;
}

export interface BalancedAssignment {
  /** partitions x dim: the mean of each partition's rows. */
  readonly centroids: Float32Array;
  /** Partition of each row, n entries. */
  readonly assignments: Uint32Array;
  /** Rows per partition. */
  readonly sizes: Uint32Array;
  /** Sum of squared L2 distances of every row to its partition's returned centroid. */
  readonly inertia: number;
  /** The size bounds the assignment meets. */
  readonly sizeBounds: PartitionSizeBounds;
  /** Row moves the local search made after the greedy pass (a swap counts two; a diagnostic). */
  readonly localSearchMoves: number;
}

const OPTION_KEYS = ['tolerance', 'backend'] as const;

/**
 * Assigns every row to one of `partitions` centroids under size bounds, minimising squared L2
 * distance heuristically: a greedy pass by regret over each row's 8 nearest centroids (see
 * `greedyAssignmentImpl`), then up to 4 rounds of bound-respecting moves and size-preserving
 * swaps. The returned centroids are the means of the final members, so they differ slightly from
 * the input centroids.
 *
 * Cost: one n x partitions x dim distance pass (the bulk), a radix sort of n rows, and linear
 * passes. Memory: about 30 bytes per row beyond `data`.
 *
 * @throws InvalidArgumentError on invalid data, centroids or options (see `balancedKMeans`).
 * @throws SquashError `WASM_UNAVAILABLE` when `backend: 'wasm'` cannot run.
 */
export function assignBalanced(
  data: Float32Array,
  n: number,
  dim: number,
  centroids: Float32Array,
  partitions: number,
  options: AssignBalancedOptions = {},
): BalancedAssignment {
  assertMatrix(data, n, dim);
  assertCentroids(centroids, partitions, dim);
  assertKnownOptions(options, OPTION_KEYS);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  assertTolerance(tolerance);
  if (partitions > n) {
    throw new InvalidArgumentError(
      'partitions',
      `partitions is ${partitions}; allowed: an integer 1..${n} (n)`,
    );
  }
  const backend = resolveBackend(assertBackend(options.backend ?? 'auto'));
  return assignBalancedImpl(data, n, dim, centroids, partitions, tolerance, backend);
}

export function assignBalancedImpl(
  data: Float32Array,
  n: number,
  dim: number,
  centroids: Float32Array,
  partitions: number,
  tolerance: number,
  backend: 'ts' | 'wasm',
): BalancedAssignment {
  const bounds = partitionSizeBounds(n, partitions, tolerance);
  const measure = createCentroidDistances(centroids, partitions, dim, backend);
  const lists = candidateListsImpl(data, n, measure, Math.min(partitions, CANDIDATES_PER_ROW));
  const state = greedyAssignmentImpl(data, n, measure, lists, bounds);
  const localSearchMoves = improveAssignmentImpl(state, lists, bounds, IMPROVE_ROUNDS);
  const means = memberMeansImpl(data, n, dim, state.assignments, partitions, centroids);
  return {
    centroids: means.centroids,
    assignments: state.assignments,
    sizes: state.sizes,
    inertia: means.inertia,
    sizeBounds: bounds,
    localSearchMoves,
  };
}
