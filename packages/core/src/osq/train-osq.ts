import { assertMetric, type Metric } from '../distance/metric.ts';
import { InvalidArgumentError } from '../errors/index.ts';
import { assertIntegerInRange, assertRowMatrix } from '../linalg/matrix-validation.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import { allocateBits } from './allocate-bits.ts';
import { codeLayout, MAX_BITS_PER_DIM } from './code-layout.ts';
import { fitCellsImpl } from './fit-cells.ts';
import { float32Above, float32Below } from './float32-rounding.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import { fitOsqTransformImpl, transformRowImpl } from './osq-transform.ts';
import { unitRowsImpl } from './unit-rows.ts';

export interface TrainOsqOptions {
  /**
   * Metric of the vectors (for LeanVec-reduced vectors, `reducedMetric(model)`). `l2` and `ip`
   * train the same quantizer; `cosine` trains and later encodes unit-length copies of the rows,
   * so the scan estimates 1 - cos directly.
   * @default 'l2'
   */
  readonly metric?: Metric;
  /**
   * Bit budget per vector, shared among the dimensions by the greedy rule (`allocateBits`). More
   * bits give finer cells: tighter bounds and better ADC ranking (fewer candidates to re-rank for
   * the same recall), at bytesPerVector = ceil(bits / 8) bytes of code per vector and scan time
   * proportional to it. Fewer bits may be used when dimensions run out of variance or distinct
   * values.
   * @default 4 * dim (1/8 of the float32 size)
   */
  readonly bitsPerVector?: number;
  /** Seed of the Lloyd re-seeding of empty cells. @default 0 */
  readonly seed?: number;
  /**
   * Lloyd iterations per dimension at most; Lloyd also stops when the distortion changes by
   * less than 0.5% in one iteration. 0 keeps the equal-population (quantile) cells.
   * @default 250
   */
  readonly maxLloydIterations?: number;
  /**
   * Leading (highest-variance) transformed dimensions that carry a 1-bit sign code for Hamming
   * filtering; 0 for no binary code. See `DEFAULT_BINARY_DIMS`.
   * @default min(dim, 64)
   */
  readonly binaryDims?: number;
  /**
   * Most bits one dimension may take. 4 makes every dimension fit one 4-bit fast-scan group, so
   * the fast scan reads the OSQ code itself (a lossless `FastScanLayout`); 8 lets the greedy rule
   * give high-variance dimensions up to 256 cells, whose low bits the fast scan then drops.
   * @default 8
   */
  readonly maxBitsPerDim?: number;
}

const OPTION_KEYS: readonly string[] = [
  'metric',
  'bitsPerVector',
  'seed',
  'maxLloydIterations',
  'binaryDims',
  'maxBitsPerDim',
];

/** @see TrainOsqOptions.maxLloydIterations */
export const DEFAULT_MAX_LLOYD_ITERATIONS = 250;

/** Lloyd stops when the distortion changes by at most this fraction in one iteration. */
export const LLOYD_RELATIVE_TOLERANCE = 0.005;

/**
 * Default number of sign-coded dimensions, capped at the dimension. Measured on MNIST (10,000
 * base rows, 200 queries, recall@10 after keeping the 20% of rows nearest in Hamming distance,
 * ranking them by ADC and re-ranking the top 100 exactly): sign bits of the top 16 / 32 / 64 /
 * 128 transformed dimensions give 0.972 / 0.991 / 0.992 / 0.980, all 784 give 0.815; ranking by
 * Hamming distance alone (top 100 re-ranked) gives 0.54 / 0.72 / 0.80 / 0.78 / 0.46. The sign of
 * a near-zero-variance dimension is noise, so more bits past the high-energy dimensions hurt.
 */
export const DEFAULT_BINARY_DIMS = 64;

/**
 * Trains the OSQ quantizer of one partition on its rows `data` (n x dim, row-major, float32;
 * normally LeanVec-reduced vectors; scaled to unit length first for `cosine`):
 * 1. KLT: z = (y - mean) R with R the covariance eigenvectors, largest eigenvalue first.
 * 2. Greedy bit allocation over the transformed variances (`allocateBits`), each dimension capped
 *    at 8 bits and at ceil(log2(distinct values)) bits, so no cell is empty for lack of values.
 * 3. Per dimension with b > 0 bits, a 2^b-cell Lloyd-Max quantizer (`fitCellsImpl`) on all rows,
 *    started from equal-population cells.
 *
 * Cost O(n dim^2) for the covariance and the transform, O(dim^3) for the eigen-decomposition
 * (0.1 s at dim 100), O(dim n log n) for the per-dimension sorts. Deterministic for a given seed.
 *
 * @throws InvalidArgumentError for an unknown or out-of-range option or data that is not n x dim
 *   finite values.
 */
export function trainOsq(
  data: Float32Array,
  n: number,
  dim: number,
  options: TrainOsqOptions = {},
): OsqQuantizer {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new InvalidArgumentError(
        'options',
        `unknown option ${JSON.stringify(key)}; allowed: ${OPTION_KEYS.join(', ')}`,
      );
    }
  }
  assertRowMatrix('data', data, n, dim);
  const metric = assertMetric(options.metric ?? 'l2');
  const bitsPerVector = options.bitsPerVector ?? 4 * dim;
  assertIntegerInRange('bitsPerVector', bitsPerVector, 0, MAX_BITS_PER_DIM * dim);
  const seed = options.seed ?? 0;
  assertIntegerInRange('seed', seed, 0, 0xffffffff);
  const maxIterations = options.maxLloydIterations ?? DEFAULT_MAX_LLOYD_ITERATIONS;
  assertIntegerInRange('maxLloydIterations', maxIterations, 0);
  const binaryDims = options.binaryDims ?? Math.min(dim, DEFAULT_BINARY_DIMS);
  assertIntegerInRange('binaryDims', binaryDims, 0, dim);
  const maxBitsPerDim = options.maxBitsPerDim ?? MAX_BITS_PER_DIM;
  assertIntegerInRange('maxBitsPerDim', maxBitsPerDim, 1, MAX_BITS_PER_DIM);
  const rows = metric === 'cosine' ? unitRowsImpl(data, n, dim) : data;
  return trainOsqImpl(rows, n, dim, {
    metric,
    bitsPerVector,
    seed,
    maxIterations,
    binaryDims,
    maxBitsPerDim,
  });
}

interface TrainOsqSettings {
  readonly metric: Metric;
  readonly bitsPerVector: number;
  readonly seed: number;
  readonly maxIterations: number;
  readonly binaryDims: number;
  readonly maxBitsPerDim: number;
}

function trainOsqImpl(data: Float32Array, n: number, dim: number, settings: TrainOsqSettings): OsqQuantizer {
  const transform = fitOsqTransformImpl(data, n, dim);
  const stats = transformedColumns(transform.mean, transform.rotation, data, n, dim);
  const distinctCaps = new Uint8Array(dim);
  for (let j = 0; j < dim; j++) {
    const column = stats.columns.subarray(j * n, (j + 1) * n).sort();
    distinctCaps[j] = Math.min(settings.maxBitsPerDim, Math.ceil(Math.log2(countDistinct(column))));
  }
  const bitsPerDim = allocateBits(stats.variances, settings.bitsPerVector, { maxBitsPerDim: distinctCaps });
  const cellOffsets = new Uint32Array(dim + 1);
  for (let j = 0; j < dim; j++) cellOffsets[j + 1] = cellOffsets[j]! + (1 << bitsPerDim[j]!);
  const boundaries = new Float32Array(cellOffsets[dim]! + dim);
  const representatives = new Float32Array(cellOffsets[dim]!);
  const random = new SeededRandom(settings.seed);
  let distortion = 0;
  for (let j = 0; j < dim; j++) {
    const first = cellOffsets[j]! + j;
    const cells = 1 << bitsPerDim[j]!;
    boundaries[first] = float32Below(stats.min[j]!);
    boundaries[first + cells] = float32Above(stats.max[j]!);
    if (cells === 1) {
      representatives[cellOffsets[j]!] = stats.means[j]!;
      distortion += stats.variances[j]! * n;
      continue;
    }
    const fitted = fitCellsImpl(
      stats.columns.subarray(j * n, (j + 1) * n),
      cells,
      { maxIterations: settings.maxIterations, relativeTolerance: LLOYD_RELATIVE_TOLERANCE },
      random,
    );
    boundaries.set(fitted.thresholds, first + 1);
    representatives.set(fitted.representatives, cellOffsets[j]!);
    distortion += fitted.distortion;
  }
  return {
    metric: settings.metric,
    dim,
    mean: transform.mean,
    rotation: transform.rotation,
    variances: Float32Array.from(stats.variances),
    layout: codeLayout(bitsPerDim),
    cellOffsets,
    boundaries,
    representatives,
    binaryDims: settings.binaryDims,
    binaryWordsPerVector: (settings.binaryDims + 31) >>> 5,
    meanSquaredError: distortion / n,
  };
}

interface TransformedColumns {
  /** dim x n, column j at j * n: transformed values rounded to float32 (sorted later, in place). */
  readonly columns: Float32Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly means: Float64Array;
  /** Population variance of each transformed dimension. */
  readonly variances: Float64Array;
}

/** Transforms every row once, keeping float32 columns and float64 range and moments. */
function transformedColumns(
  mean: Float32Array,
  rotation: Float32Array,
  data: Float32Array,
  n: number,
  dim: number,
): TransformedColumns {
  const columns = new Float32Array(dim * n);
  const min = new Float64Array(dim).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(dim).fill(Number.NEGATIVE_INFINITY);
  const sums = new Float64Array(dim);
  const squares = new Float64Array(dim);
  const z = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    transformRowImpl(rotation, mean, dim, data, i * dim, z);
    for (let j = 0; j < dim; j++) {
      const value = z[j]!;
      columns[j * n + i] = value;
      if (value < min[j]!) min[j] = value;
      if (value > max[j]!) max[j] = value;
      sums[j] = sums[j]! + value;
      squares[j] = squares[j]! + value * value;
    }
  }
  const means = new Float64Array(dim);
  const variances = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    means[j] = sums[j]! / n;
    variances[j] = Math.max(0, squares[j]! / n - means[j]! * means[j]!);
  }
  return { columns, min, max, means, variances };
}

function countDistinct(sorted: Float32Array): number {
  let distinct = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}
