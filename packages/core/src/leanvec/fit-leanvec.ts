import { assertMetric, type Metric } from '../distance/metric.ts';
import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { assertIntegerInRange, assertRowMatrix, describe } from '../linalg/matrix-validation.ts';
import { symmetricEigenImpl } from '../linalg/symmetric-eigen.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import type { LeanVecModel } from './leanvec-model.ts';
import { fitOodProjectionsImpl, topColumns } from './leanvec-ood.ts';
import { metricMomentImpl } from './metric-moment.ts';

/** A sample of queries for LeanVec-OOD: `n` rows of the data's dimension, row-major. */
export interface LeanVecQuerySample {
  readonly data: Float32Array;
  readonly n: number;
}

export interface FitLeanVecOptions {
  /** Metric of the full vectors; decides centring and normalisation (see `LeanVecModel`). */
  readonly metric: Metric;
  /**
   * d, the projected dimension, 1..dim. Smaller d makes search and codes cheaper and the
   * approximation coarser: more candidates must be re-ranked with full vectors for the same recall.
   */
  readonly outputDim: number;
  /**
   * Rows drawn (seeded, without replacement) from the data, and from `queries`, to estimate the
   * D x D moments. Fitting costs O(sampleRows * D^2) plus O(D^3); 20,000 rows estimate the top
   * directions of typical embeddings well. All rows are used when there are fewer.
   * @default 20000
   */
  readonly sampleRows?: number;
  /** Seed of the row sample, so a fit is reproducible. @default 0 */
  readonly seed?: number;
  /**
   * A sample of queries. Given (with `ip` or `cosine`), the model is LeanVec-OOD: separate query
   * and data projections that minimise the inner-product error on these queries. Worth it when
   * queries differ in distribution from the data; use at least as many queries as dimensions
   * (ideally several times more), since directions no query explores are not fitted.
   * Not allowed with `l2`.
   * @default none (LeanVec-ID)
   */
  readonly queries?: LeanVecQuerySample;
}

const OPTION_KEYS: readonly string[] = ['metric', 'outputDim', 'sampleRows', 'seed', 'queries'];

/** @see FitLeanVecOptions.sampleRows */
export const DEFAULT_LEANVEC_SAMPLE_ROWS = 20_000;

/**
 * Fits a LeanVec projection from D = `dim` to d = `options.outputDim` dimensions on `data`
 * (n x dim, row-major).
 *
 * - Without `queries` (LeanVec-ID): the top-d eigenvectors of the sample's covariance (`l2`,
 *   mean-centred) or second moment (`ip`; `cosine` on unit-length rows). Both keep as much of the
 *   distances / inner products between rows as any d-dimensional orthogonal projection can.
 * - With `queries` (LeanVec-OOD, `ip` / `cosine` only): the closed-form minimiser of the mean
 *   squared inner-product error between the query sample and the data sample (`fitOodProjectionsImpl`).
 *
 * Deterministic: the same data, options and seed give the same model bit for bit.
 *
 * @throws InvalidArgumentError for a bad or unknown option, data that is not n x dim finite
 *   values, queries with `l2`, or a query sample whose rows are all zero.
 * @throws DimensionMismatchError when the query sample's length is not a multiple of `dim`
 *   matching its `n`.
 */
export function fitLeanVec(
  data: Float32Array,
  n: number,
  dim: number,
  options: FitLeanVecOptions,
): LeanVecModel {
  const { metric, outputDim, sampleRows, seed, queries } = validateOptions(options, dim);
  assertRowMatrix('data', data, n, dim);
  if (queries !== undefined) assertQuerySample(queries, dim);
  const random = new SeededRandom(seed);
  const dataRows = random.sampleIndices(n, sampleRows);
  const dataMoment = metricMomentImpl(data, dim, dataRows, dataRows.length, metric);
  if (queries === undefined) {
    const eigen = symmetricEigenImpl(dataMoment.moment, dim);
    const projection = Float32Array.from(topColumns(eigen.vectors, dim, outputDim));
    return model('id', metric, dim, outputDim, dataMoment.mean, projection, projection);
  }
  const queryRows = random.sampleIndices(queries.n, sampleRows);
  const queryMoment = metricMomentImpl(queries.data, dim, queryRows, queryRows.length, metric).moment;
  if (trace(queryMoment, dim) === 0) {
    throw new InvalidArgumentError(
      'queries',
      'every sampled query is a zero vector; allowed: queries with a direction',
    );
  }
  const ood = fitOodProjectionsImpl(queryMoment, dataMoment.moment, dim, outputDim);
  return model(
    'ood',
    metric,
    dim,
    outputDim,
    null,
    Float32Array.from(ood.dataProjection),
    Float32Array.from(ood.queryProjection),
  );
}

function model(
  kind: LeanVecModel['kind'],
  metric: Metric,
  inputDim: number,
  outputDim: number,
  mean: Float64Array | null,
  dataProjection: Float32Array,
  queryProjection: Float32Array,
): LeanVecModel {
  return {
    kind,
    metric,
    inputDim,
    outputDim,
    mean: mean === null ? null : Array.from(mean),
    dataProjection,
    queryProjection,
  };
}

/** Options after defaults, as `fitLeanVec` uses them. */
interface ResolvedOptions {
  readonly metric: Metric;
  readonly outputDim: number;
  readonly sampleRows: number;
  readonly seed: number;
  readonly queries: LeanVecQuerySample | undefined;
}

function validateOptions(options: FitLeanVecOptions, dim: number): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      `options is ${describe(options)}; allowed: an object with metric and outputDim`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new InvalidArgumentError(
        'options',
        `unknown LeanVec option ${JSON.stringify(key)}; allowed: ${OPTION_KEYS.join(', ')}`,
      );
    }
  }
  const metric = assertMetric(options.metric);
  assertIntegerInRange('dim', dim, 1);
  assertIntegerInRange('outputDim', options.outputDim, 1, dim);
  const sampleRows = options.sampleRows ?? DEFAULT_LEANVEC_SAMPLE_ROWS;
  assertIntegerInRange('sampleRows', sampleRows, 1);
  const seed = options.seed ?? 0;
  assertIntegerInRange('seed', seed, 0, 0xffff_ffff);
  if (options.queries !== undefined && metric === 'l2') {
    throw new InvalidArgumentError(
      'queries',
      "queries were given with metric 'l2'; LeanVec-OOD is defined for 'ip' and 'cosine' only",
    );
  }
  return { metric, outputDim: options.outputDim, sampleRows, seed, queries: options.queries };
}

function assertQuerySample(queries: LeanVecQuerySample, dim: number): void {
  if (typeof queries !== 'object' || queries === null || !(queries.data instanceof Float32Array)) {
    throw new InvalidArgumentError('queries', 'queries must be { data: Float32Array, n: number }');
  }
  assertIntegerInRange('queries.n', queries.n, 1);
  if (queries.data.length !== queries.n * dim) {
    const actual = queries.data.length / queries.n;
    throw new DimensionMismatchError(
      dim,
      actual,
      `queries has ${queries.data.length} values for ${queries.n} rows (${actual} dimensions each); the data has ${dim}`,
    );
  }
  assertRowMatrix('queries.data', queries.data, queries.n, dim);
}

function trace(matrix: Float64Array, dim: number): number {
  let sum = 0;
  for (let i = 0; i < dim; i++) sum += matrix[i * dim + i]!;
  return sum;
}
