import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { gramImpl } from './gram-kernels.ts';
import { assertFinite, assertRowMatrix, assertRowSelection } from './matrix-validation.ts';
import { meanRowsImpl } from './mean-rows.ts';
import type { RowSelectionOptions } from './row-selection.ts';

export interface CovarianceOptions extends RowSelectionOptions {
  /**
   * The centre to subtract from every (scaled) row. Pass a known mean to avoid recomputing it,
   * or any other point to get the scatter about that point.
   * @default the mean of the used rows (`meanRows` with the same selection)
   */
  readonly mean?: ArrayLike<number>;
}

/**
 * Population covariance of the used rows, sum_k (y_k - mu)(y_k - mu)^T / count, as a full
 * symmetric dim x dim row-major Float64Array (both triangles filled).
 *
 * This is the matrix whose top eigenvectors are the PCA / KLT basis for `l2`: projecting onto
 * them keeps the most squared distance between rows. Cost O(count * dim^2); see
 * `gram-kernels.ts` for the two accumulation paths and their speed.
 *
 * @throws InvalidArgumentError when `data` is not n x dim finite values, the selection is invalid
 *   or empty, or `mean` is not finite.
 * @throws DimensionMismatchError when `mean` does not have `dim` values.
 */
export function covariance(
  data: Float32Array,
  n: number,
  dim: number,
  options: CovarianceOptions = {},
): Float64Array {
  const count = validateStatisticInput(data, n, dim, options, ['rowIds', 'rowScales', 'mean']);
  const { rowIds, rowScales } = options;
  let mean = options.mean;
  if (mean === undefined) {
    mean = meanRowsImpl(data, dim, rowIds, count, rowScales);
  } else {
    if (mean.length !== dim) {
      throw new DimensionMismatchError(
        dim,
        mean.length,
        `mean has ${mean.length} dimensions; the data has ${dim}`,
      );
    }
    assertFinite('mean', mean, dim);
  }
  return scale(gramImpl({ data, dim, rowIds, count, rowScales }, mean), 1 / count);
}

/**
 * Uncentred second moment of the used rows, sum_k y_k y_k^T / count (K = X^T X / n), as a full
 * symmetric dim x dim row-major Float64Array.
 *
 * This, not the covariance, is the matrix that preserves inner products: for any projector P,
 * the mean squared error of q . x over data rows x is q^T (I - P) K (I - P) q, so `ip` and
 * `cosine` reductions are fitted on it.
 *
 * @throws InvalidArgumentError when `data` is not n x dim finite values or the selection is
 *   invalid or empty.
 */
export function secondMoment(
  data: Float32Array,
  n: number,
  dim: number,
  options: RowSelectionOptions = {},
): Float64Array {
  const count = validateStatisticInput(data, n, dim, options, ['rowIds', 'rowScales']);
  const { rowIds, rowScales } = options;
  return scale(gramImpl({ data, dim, rowIds, count, rowScales }, undefined), 1 / count);
}

function validateStatisticInput(
  data: Float32Array,
  n: number,
  dim: number,
  options: CovarianceOptions,
  allowed: readonly string[],
): number {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError(
        'options',
        `unknown option ${JSON.stringify(key)}; allowed: ${allowed.join(', ')}`,
      );
    }
  }
  assertRowMatrix('data', data, n, dim);
  assertRowSelection(n, options.rowIds, options.rowScales);
  const count = options.rowIds === undefined ? n : options.rowIds.length;
  if (count === 0) throw new InvalidArgumentError('rowIds', 'rowIds is empty; allowed: at least one row');
  return count;
}

function scale(matrix: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < matrix.length; i++) matrix[i] = matrix[i]! * factor;
  return matrix;
}
