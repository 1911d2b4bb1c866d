import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { InvalidArgumentError } from '../errors/index.ts';
import { assertSquareMatrix } from './matrix-validation.ts';

/** Eigen-decomposition A = V diag(values) V^T of a real symmetric matrix. */
export interface SymmetricEigen {
  readonly dim: number;
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /**
   * dim x dim row-major; column j (`vectors[i * dim + j]` for i = 0..dim-1) is the unit
   * eigenvector of `values[j]`. Columns are orthonormal. Sign convention: the entry of largest
   * magnitude in each column is positive (the first such entry on an exact tie), so equal input
   * gives equal output.
   */
  readonly vectors: Float64Array;
}

/**
 * Largest relative asymmetry |a_ij - a_ji| / max|a| accepted; rounding in a computed Gram or
 * product matrix stays far below it, a genuinely non-symmetric input does not.
 */
const SYMMETRY_TOLERANCE = 1e-9;

/**
 * Eigenvalues (descending) and orthonormal eigenvectors of the symmetric dim x dim row-major
 * matrix `matrix`, through ml-matrix's `EigenvalueDecomposition` (Householder tridiagonalisation
 * then the implicit QL algorithm: O(dim^3), about 3 s for dim 784, 0.1 s for dim 100).
 *
 * The input is symmetrised as (A + A^T) / 2 first, so rounding differences between the triangles
 * do not matter.
 *
 * @throws InvalidArgumentError when `matrix` is not dim x dim finite values or is not symmetric
 *   (relative asymmetry above 1e-9).
 */
export function symmetricEigen(matrix: ArrayLike<number>, dim: number): SymmetricEigen {
  assertSquareMatrix('matrix', matrix, dim);
  assertSymmetric(matrix, dim);
  return symmetricEigenImpl(matrix, dim);
}

/** `symmetricEigen` without validation. */
export function symmetricEigenImpl(matrix: ArrayLike<number>, dim: number): SymmetricEigen {
  const symmetric = new Matrix(dim, dim);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const value = (matrix[i * dim + j]! + matrix[j * dim + i]!) / 2;
      symmetric.set(i, j, value);
      symmetric.set(j, i, value);
    }
  }
  const decomposition = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true });
  const rawValues = decomposition.realEigenvalues;
  const rawVectors = decomposition.eigenvectorMatrix;
  // Stable descending order: equal eigenvalues keep ml-matrix's order, so the output is deterministic.
  const order = Array.from({ length: dim }, (_, j) => j).sort(
    (a, b) => rawValues[b]! - rawValues[a]! || a - b,
  );
  const values = new Float64Array(dim);
  const vectors = new Float64Array(dim * dim);
  order.forEach((source, target) => {
    values[target] = rawValues[source]!;
    const sign = largestEntrySign(rawVectors, source, dim);
    for (let i = 0; i < dim; i++) vectors[i * dim + target] = sign * rawVectors.get(i, source);
  });
  return { dim, values, vectors };
}

/** +1 or -1: the sign that makes the largest-magnitude entry of column `column` positive. */
function largestEntrySign(vectors: Matrix, column: number, dim: number): number {
  let best = 0;
  for (let i = 0; i < dim; i++) {
    const value = vectors.get(i, column);
    if (Math.abs(value) > Math.abs(best)) best = value;
  }
  return best < 0 ? -1 : 1;
}

function assertSymmetric(matrix: ArrayLike<number>, dim: number): void {
  let largest = 0;
  for (let i = 0; i < matrix.length; i++) largest = Math.max(largest, Math.abs(matrix[i]!));
  for (let i = 0; i < dim; i++) {
    for (let j = i + 1; j < dim; j++) {
      const gap = Math.abs(matrix[i * dim + j]! - matrix[j * dim + i]!);
      if (gap > SYMMETRY_TOLERANCE * largest) {
        throw new InvalidArgumentError(
          'matrix',
          `matrix is not symmetric: entry (${i}, ${j}) is ${matrix[i * dim + j]} but (${j}, ${i}) is ${matrix[j * dim + i]}`,
        );
      }
    }
  }
}
