import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { multiplyMatricesImpl, transposeMatrixImpl } from '../linalg/dense-matrix.ts';
import { assertRowMatrix } from '../linalg/matrix-validation.ts';
import type { LeanVecModel } from './leanvec-model.ts';
import { projectRowImpl } from './leanvec-projection.ts';
import { inverseRowNorms, metricMomentImpl } from './metric-moment.ts';

/** How far a model's reduced inner products are from the full ones. */
export interface InnerProductLoss {
  /** ||Q (I - A B^T) X^T||_F^2 / (m n): the mean over all (query, row) pairs of (q.x - z.y)^2. */
  readonly meanSquaredError: number;
  /** meanSquaredError / mean (q.x)^2, scale-free: 0 is exact, 1 is as bad as predicting 0. */
  readonly relativeError: number;
}

/**
 * The LeanVec-OOD objective for an `ip` or `cosine` model (A = queryProjection,
 * B = dataProjection; rows scaled to unit length first for `cosine`), over every pair of the m
 * `queries` and n `data` rows. Computed without forming the m x n products, from the moments
 * K_Q = Q^T Q / m and K_X = X^T X / n:
 *
 *   tr((I - A B^T)^T K_Q (I - A B^T) K_X)
 *     = <K_Q, K_X> - 2 <K_Q A, K_X B> + <A^T K_Q A, B^T K_X B>     (Frobenius products),
 *
 * costing O((m + n) D^2 + D^2 d). Use it to compare models at the same d: LeanVec-OOD minimises it
 * on its query sample, so it is never above LeanVec-ID there.
 *
 * @throws InvalidArgumentError when the model's metric is `l2` (use `reconstructionError`), or an
 *   input is not rows x inputDim finite values.
 */
export function innerProductLoss(
  model: LeanVecModel,
  queries: Float32Array,
  nq: number,
  data: Float32Array,
  n: number,
): InnerProductLoss {
  const { metric, inputDim: dim, outputDim: d } = model;
  if (metric === 'l2') {
    throw new InvalidArgumentError(
      'model',
      "innerProductLoss needs an 'ip' or 'cosine' model; this one is 'l2'",
    );
  }
  assertRows('queries', queries, nq, dim);
  assertRows('data', data, n, dim);
  const kq = metricMomentImpl(queries, dim, undefined, nq, metric).moment;
  const kx = metricMomentImpl(data, dim, undefined, n, metric).moment;
  const a = Float64Array.from(model.queryProjection);
  const b = Float64Array.from(model.dataProjection);
  const kqA = multiplyMatricesImpl(kq, dim, dim, a, d);
  const kxB = multiplyMatricesImpl(kx, dim, dim, b, d);
  const aKqA = multiplyMatricesImpl(transposeMatrixImpl(a, dim, d), d, dim, kqA, d);
  const bKxB = multiplyMatricesImpl(transposeMatrixImpl(b, dim, d), d, dim, kxB, d);
  const total = frobenius(kq, kx);
  const meanSquaredError = Math.max(0, total - 2 * frobenius(kqA, kxB) + frobenius(aKqA, bKxB));
  return { meanSquaredError, relativeError: total === 0 ? 0 : meanSquaredError / total };
}

/**
 * The share of the data's energy the data projection P loses:
 * sum ||v - P P^T v||^2 / sum ||v||^2 over the rows, where v = x - mean (`l2`), x (`ip`) or
 * x / ||x|| (`cosine`). For LeanVec-ID this is the sum of the discarded eigenvalues over their
 * total (on the fitting sample), so it falls as outputDim grows and reaches 0 at outputDim = D.
 * Uses ||v - P P^T v||^2 = ||v||^2 - ||P^T v||^2, exact because P has orthonormal columns.
 *
 * @throws InvalidArgumentError when `data` is not n x inputDim finite values.
 */
export function reconstructionError(model: LeanVecModel, data: Float32Array, n: number): number {
  const { inputDim: dim, outputDim: d, mean, metric } = model;
  assertRows('data', data, n, dim);
  const scales = metric === 'cosine' ? inverseRowNorms(data, dim, undefined, n) : undefined;
  const projected = new Float32Array(d);
  let total = 0;
  let kept = 0;
  for (let row = 0; row < n; row++) {
    const offset = row * dim;
    const scale = scales === undefined ? 1 : scales[row]!;
    for (let i = 0; i < dim; i++) {
      const v = mean === null ? data[offset + i]! * scale : data[offset + i]! - mean[i]!;
      total += v * v;
    }
    projectRowImpl(model, model.dataProjection, data, offset, projected, 0);
    for (let j = 0; j < d; j++) kept += projected[j]! * projected[j]!;
  }
  return total === 0 ? 0 : Math.max(0, total - kept) / total;
}

function assertRows(argument: string, rows: Float32Array, n: number, dim: number): void {
  if (rows instanceof Float32Array && Number.isSafeInteger(n) && n > 0 && rows.length !== n * dim) {
    throw new DimensionMismatchError(
      dim,
      rows.length / n,
      `${argument} has ${rows.length} values for ${n} rows (${rows.length / n} dimensions each); the model expects ${dim}`,
    );
  }
  assertRowMatrix(argument, rows, n, dim);
}

function frobenius(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
