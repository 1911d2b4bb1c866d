import { SeededRandom } from '../random/seeded-random.ts';
import { DEFAULT_TOLERANCE } from './assign-balanced.ts';
import { balancedRefinementImpl } from './balanced-refinement.ts';
import { type KMeansBackend, resolveBackend } from './kmeans-backend.ts';
import { kMeansPlusPlusImpl } from './kmeans-plus-plus.ts';
import {
  assertBackend,
  assertInteger,
  assertKnownOptions,
  assertMatrix,
  assertTolerance,
} from './kmeans-validation.ts';
import { lloydImpl } from './lloyd.ts';
import { createSampleScanner } from './sample-scanner.ts';

/** Default Lloyd iteration cap (the FAISS `Clustering.niter` default). */
export const DEFAULT_MAX_ITERATIONS = 25;

/** Training rows drawn per partition by default (FAISS `max_points_per_centroid`). */
export const DEFAULT_TRAIN_ROWS_PER_PARTITION = 256;

/** The training sample is never smaller than this by default (unless n is). */
export const DEFAULT_MIN_TRAIN_ROWS = 20_000;

/** Default cap on balanced Lloyd iterations on the sample after plain Lloyd. */
export const DEFAULT_BALANCED_ITERATIONS = 10;

export interface TrainCentroidsOptions {
  /** Number of centroids to train, an integer in 1..n. */
  readonly partitions: number;
  /**
   * Seed of the sample and of k-means++. The same data, options and seed give the same centroids
   * bit for bit.
   * @default 0
   */
  readonly seed?: number;
  /**
   * Rows Lloyd trains on, a seeded uniform sample without replacement. Larger samples give
   * centroids closer to full-data k-means at linear cost: each Lloyd iteration costs
   * trainRows x partitions x dim multiply-adds, and k-means++ the same once. Beyond a few hundred
   * rows per centroid the centroids barely move (a mean's sampling error shrinks as
   * 1/sqrt(rows)), which is why FAISS caps training at 256 rows per centroid; the floor of 20,000
   * keeps a small `partitions` from seeing a tiny sample. Must be >= partitions; values above n
   * mean "all rows".
   * @default min(n, max(20000, 256 * partitions))
   */
  readonly trainRows?: number;
  /**
   * Cap on Lloyd assignment steps; Lloyd also stops when no training row changes centroid or the
   * inertia improves by less than 1e-5 relative. 0 keeps the k-means++ seeds.
   * @default 25
   */
  readonly maxIterations?: number;
  /**
   * Cap on balanced Lloyd iterations on the sample after plain Lloyd (see
   * `balancedRefinementImpl`): each assigns the sample under the size bounds and moves the
   * centroids to the member means, so the centroids suit a balanced partition rather than the
   * natural clusters. Stops early when the sample inertia improves by less than 1e-4 relative.
   * 0 returns plain k-means centroids.
   * @default 10
   */
  readonly balancedIterations?: number;
  /**
   * Size tolerance the balanced iterations use (see `AssignBalancedOptions.tolerance`); pass the
   * one the final assignment will use.
   * @default 0.1
   */
  readonly tolerance?: number;
  /**
   * Distance kernels (see `KMeansBackend`). WebAssembly SIMD is about 4-5x faster; the two
   * backends round differently, so a seed reproduces its partitions on the same backend.
   * @default 'auto'
   */
  readonly backend?: KMeansBackend;
}

export interface TrainedCentroids {
  /** partitions x dim, row-major. */
  readonly centroids: Float32Array;
  /** Plain Lloyd assignment steps run. */
  readonly iterations: number;
  /** Balanced Lloyd iterations run after them. */
  readonly balancedIterations: number;
  /**
   * Training-sample inertia: of the balanced assignment against the returned centroids when
   * balanced iterations ran, else at the last plain Lloyd step (0 when none ran).
   */
  readonly inertia: number;
  /** Rows actually trained on. */
  readonly trainRows: number;
}

export const TRAIN_OPTION_KEYS = [
  'partitions',
  'seed',
  'trainRows',
  'maxIterations',
  'balancedIterations',
  'tolerance',
  'backend',
] as const;

/**
 * Trains `partitions` centroids for a balanced partition under squared L2, on a seeded sample
 * of the rows (see `trainRows`): k-means++ seeding (Arthur & Vassilvitskii 2007), plain Lloyd
 * iterations, then balanced Lloyd iterations under the size tolerance. The first stage of
 * `balancedKMeans`; exported so that a build can time or reuse the stages separately.
 *
 * @throws InvalidArgumentError on invalid data or options (see `balancedKMeans`).
 */
export function trainCentroids(
  data: Float32Array,
  n: number,
  dim: number,
  options: TrainCentroidsOptions,
): TrainedCentroids {
  assertMatrix(data, n, dim);
  assertKnownOptions(options, TRAIN_OPTION_KEYS);
  const resolved = resolveTrainOptions(n, options);
  return trainCentroidsImpl(data, n, dim, resolved);
}

export interface ResolvedTrainOptions {
  readonly partitions: number;
  readonly seed: number;
  readonly trainRows: number;
  readonly maxIterations: number;
  readonly balancedIterations: number;
  readonly tolerance: number;
  readonly backend: 'ts' | 'wasm';
}

/** Validates and fills defaults; `n` is already validated. */
export function resolveTrainOptions(n: number, options: TrainCentroidsOptions): ResolvedTrainOptions {
  const {
    partitions,
    seed = 0,
    maxIterations = DEFAULT_MAX_ITERATIONS,
    balancedIterations = DEFAULT_BALANCED_ITERATIONS,
    tolerance = DEFAULT_TOLERANCE,
    backend = 'auto',
  } = options;
  assertInteger('partitions', partitions, 1, n);
  assertInteger('seed', seed, Number.MIN_SAFE_INTEGER);
  assertInteger('maxIterations', maxIterations, 0);
  assertInteger('balancedIterations', balancedIterations, 0);
  assertTolerance(tolerance);
  const defaultRows = Math.max(DEFAULT_MIN_TRAIN_ROWS, DEFAULT_TRAIN_ROWS_PER_PARTITION * partitions);
  const requested = options.trainRows ?? defaultRows;
  assertInteger('trainRows', requested, partitions);
  return {
    partitions,
    seed,
    maxIterations,
    balancedIterations,
    tolerance,
    backend: resolveBackend(assertBackend(backend)),
    trainRows: Math.min(n, requested),
  };
}

export function trainCentroidsImpl(
  data: Float32Array,
  n: number,
  dim: number,
  options: ResolvedTrainOptions,
): TrainedCentroids {
  const { partitions, trainRows, maxIterations } = options;
  // One generator, drawn in a fixed order (sample, then seeds), so the seed fixes everything.
  const random = new SeededRandom(options.seed);
  const sample = trainRows === n ? data : gatherRows(data, dim, random.sampleIndices(n, trainRows));
  const scanner = createSampleScanner(sample, trainRows, dim, options.backend);
  const seeds = kMeansPlusPlusImpl(sample, trainRows, dim, partitions, random, scanner);
  const lloyd = lloydImpl(sample, trainRows, dim, seeds, partitions, maxIterations, options.backend);
  const balanced = balancedRefinementImpl(
    sample,
    trainRows,
    dim,
    seeds,
    partitions,
    options.tolerance,
    options.balancedIterations,
    options.backend,
  );
  return {
    centroids: balanced.centroids,
    iterations: lloyd.iterations,
    balancedIterations: balanced.iterations,
    inertia: balanced.iterations > 0 ? balanced.inertia : lloyd.inertia,
    trainRows,
  };
}

function gatherRows(data: Float32Array, dim: number, rows: Uint32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    out.set(data.subarray(row * dim, (row + 1) * dim), r * dim);
  }
  return out;
}
