import { covariance } from '../linalg/covariance.ts';
import { meanRowsImpl } from '../linalg/mean-rows.ts';
import { symmetricEigenImpl } from '../linalg/symmetric-eigen.ts';

/** The KLT of one partition: its mean and covariance eigenvectors (columns), largest first. */
export interface OsqTransform {
  readonly mean: Float32Array;
  /** d x d row-major; column j is the unit eigenvector of `eigenvalues[j]`. */
  readonly rotation: Float32Array;
  /** Covariance eigenvalues, descending (float64, before any clamping). */
  readonly eigenvalues: Float64Array;
}

/**
 * Fits the Karhunen-Loeve transform of `data` (n x dim): z = (y - mean) R with R the covariance
 * eigenvectors as columns, sorted by descending eigenvalue, so the transformed dimensions are
 * uncorrelated and their variances are the eigenvalues, largest first. Note the direction: rows
 * are multiplied by R, i.e. z_j = (y - mean) . r_j; multiplying by R^T instead would mix the
 * dimensions rather than decorrelate them.
 *
 * Mean and rotation are rounded to float32 once; every later transform (training, encoding,
 * queries) uses the rounded values, so they agree bit for bit.
 */
export function fitOsqTransformImpl(data: Float32Array, n: number, dim: number): OsqTransform {
  const mean64 = meanRowsImpl(data, dim, undefined, n, undefined);
  const eigen = symmetricEigenImpl(covariance(data, n, dim, { mean: mean64 }), dim);
  return {
    mean: Float32Array.from(mean64),
    rotation: Float32Array.from(eigen.vectors),
    eigenvalues: eigen.values,
  };
}

/**
 * Writes z = (row - centre) R (float64) for the row at `offset` of `source` into `out[0..dim)`.
 * Pass the partition mean as `centre` for data and `l2` queries, null for `ip` queries
 * (q R, see `prepareOsqQuery`). Cost dim^2 multiply-adds; exact zeros of the centred row are
 * skipped.
 */
export function transformRowImpl(
  rotation: Float32Array,
  centre: Float32Array | null,
  dim: number,
  source: ArrayLike<number>,
  offset: number,
  out: Float64Array,
): void {
  out.fill(0, 0, dim);
  for (let i = 0; i < dim; i++) {
    const value = centre === null ? source[offset + i]! : source[offset + i]! - centre[i]!;
    if (value === 0) continue;
    const rotationRow = i * dim;
    for (let j = 0; j < dim; j++) out[j] = out[j]! + value * rotation[rotationRow + j]!;
  }
}
