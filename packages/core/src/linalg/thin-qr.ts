import { Matrix, QrDecomposition } from 'ml-matrix';
import { InvalidArgumentError } from '../errors/index.ts';
import { assertFinite, assertIntegerInRange } from './matrix-validation.ts';

/** Thin QR factorisation M = Q R of a tall rows x cols matrix (rows >= cols). */
export interface ThinQr {
  /** rows x cols row-major with orthonormal columns spanning the columns of M. */
  readonly q: Float64Array;
  /** cols x cols row-major upper triangular, with a non-negative diagonal (a unique choice when M has full column rank). */
  readonly r: Float64Array;
}

/**
 * Thin QR of `matrix` (rows x cols row-major, rows >= cols) through ml-matrix's Householder
 * `QrDecomposition`. Used to give a projection orthonormal columns while moving its scale and
 * shear into a partner matrix: if M = Q R then A M^T = (A R^T) Q^T.
 *
 * @throws InvalidArgumentError when the dimensions are not integers with rows >= cols >= 1 or
 *   `matrix` is not rows x cols finite values.
 */
export function thinQr(matrix: ArrayLike<number>, rows: number, cols: number): ThinQr {
  assertIntegerInRange('cols', cols, 1);
  assertIntegerInRange('rows', rows, cols);
  if (matrix?.length !== rows * cols) {
    throw new InvalidArgumentError(
      'matrix',
      `matrix has ${matrix?.length} values; a ${rows} x ${cols} matrix needs ${rows * cols}`,
    );
  }
  assertFinite('matrix', matrix, cols);
  return thinQrImpl(matrix, rows, cols);
}

/** `thinQr` without validation. */
export function thinQrImpl(matrix: ArrayLike<number>, rows: number, cols: number): ThinQr {
  const decomposition = new QrDecomposition(Matrix.from1DArray(rows, cols, matrix));
  const qMatrix = decomposition.orthogonalMatrix;
  const rMatrix = decomposition.upperTriangularMatrix;
  const q = new Float64Array(rows * cols);
  const r = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) {
    // Flipping column j of Q and row j of R together leaves Q R unchanged.
    const sign = rMatrix.get(j, j) < 0 ? -1 : 1;
    for (let i = 0; i < rows; i++) q[i * cols + j] = sign * qMatrix.get(i, j);
    for (let k = j; k < cols; k++) r[j * cols + k] = sign * rMatrix.get(j, k);
  }
  return { q, r };
}
