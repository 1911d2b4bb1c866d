import { multiplyMatricesImpl, transposeMatrixImpl } from '../linalg/dense-matrix.ts';
import { symmetricEigenImpl } from '../linalg/symmetric-eigen.ts';
import { thinQrImpl } from '../linalg/thin-qr.ts';

/**
 * Eigenvalues of K_Q below this fraction of the largest are raised to it before K_Q^{+-1/2} are
 * formed. It only matters when the query sample does not span every direction (fewer queries
 * than dimensions, or exactly dependent ones): there it keeps A finite, and only directions that
 * carry under a millionth of the largest query energy are affected.
 */
const QUERY_EIGENVALUE_FLOOR = 1e-6;

/** Query and data projections, D x d row-major float64. */
export interface OodProjections {
  readonly queryProjection: Float64Array;
  readonly dataProjection: Float64Array;
}

/**
 * LeanVec-OOD in closed form. Given the query second moment K_Q = Q^T Q / m and the data second
 * moment K_X = X^T X / n (D x D), finds D x d matrices A (queries) and B (data) minimising the
 * mean squared inner-product error
 *
 *   L(A, B) = ||Q (I - A B^T) X^T||_F^2 / (m n) = tr((I - M)^T K_Q (I - M) K_X),  M = A B^T.
 *
 * Derivation. L = ||K_Q^{1/2} (I - M) K_X^{1/2}||_F^2 = ||G - K_Q^{1/2} M K_X^{1/2}||_F^2 with
 * G = K_Q^{1/2} K_X^{1/2}. When K_Q and K_X are invertible, N = K_Q^{1/2} M K_X^{1/2} ranges over
 * every matrix of rank <= d, so by Eckart-Young the optimum is N = U_d U_d^T G, where U_d holds
 * the top-d left singular vectors of G, i.e. the top-d eigenvectors of
 * G G^T = K_Q^{1/2} K_X K_Q^{1/2}. Solving for M, and using G K_X^{-1/2} = K_Q^{1/2}:
 *
 *   M = K_Q^{-1/2} U_d U_d^T K_Q^{1/2},   so   A = K_Q^{-1/2} U_d,  B = K_Q^{1/2} U_d,
 *
 * with minimum loss = the sum of the eigenvalues of K_Q^{1/2} K_X K_Q^{1/2} beyond the d-th. K_X
 * never needs inverting; a singular K_X (fewer data rows than dims) is fine.
 *
 * Computation, with K_Q = V diag(lambda) V^T: K_Q^{1/2} K_X K_Q^{1/2} = V H V^T where
 * H = diag(sqrt lambda) (V^T K_X V) diag(sqrt lambda); if W_d are H's top-d eigenvectors then
 * U_d = V W_d, A = V diag(lambda^-1/2) W_d and B = V diag(lambda^1/2) W_d. Cost: two D x D
 * eigen-decompositions and two D^3 products.
 *
 * Only A B^T matters, so (A R^T, B R^-1) is as good as (A, B) for any invertible R. We take the
 * thin QR factorisation B = Q R and return (A R^T, Q): the data projection then has orthonormal
 * columns, so projected data keeps the Euclidean geometry of its subspace (k-means partitions and
 * scalar quantization of the projected rows behave as with LeanVec-ID) and all of the query-side
 * correction lives in A. With K_Q = K_X this reduces exactly to LeanVec-ID (A = B = top-d
 * eigenvectors of K_X).
 *
 * Compared with the paper's Frank-Wolfe scheme, which keeps A and B on the Stiefel manifold, the
 * closed form optimises over all of A and B and so reaches a loss at least as low on the sample.
 */
export function fitOodProjectionsImpl(
  queryMoment: Float64Array,
  dataMoment: Float64Array,
  dim: number,
  outputDim: number,
): OodProjections {
  const query = symmetricEigenImpl(queryMoment, dim);
  const floor = Math.max(query.values[0]!, 0) * QUERY_EIGENVALUE_FLOOR;
  const sqrtLambda = query.values.map((value) => Math.sqrt(Math.max(value, floor)));
  const v = query.vectors;
  const vt = transposeMatrixImpl(v, dim, dim);
  const rotated = multiplyMatricesImpl(vt, dim, dim, multiplyMatricesImpl(dataMoment, dim, dim, v, dim), dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++)
      rotated[i * dim + j] = rotated[i * dim + j]! * sqrtLambda[i]! * sqrtLambda[j]!;
  }
  const top = topColumns(symmetricEigenImpl(rotated, dim).vectors, dim, outputDim);
  const a = multiplyMatricesImpl(v, dim, dim, scaleRows(top, outputDim, sqrtLambda, -1), outputDim);
  const b = multiplyMatricesImpl(v, dim, dim, scaleRows(top, outputDim, sqrtLambda, 1), outputDim);
  const { q, r } = thinQrImpl(b, dim, outputDim);
  const rt = transposeMatrixImpl(r, outputDim, outputDim);
  return { queryProjection: multiplyMatricesImpl(a, dim, outputDim, rt, outputDim), dataProjection: q };
}

/** The first `count` columns of a dim x dim row-major matrix, as dim x count. */
export function topColumns(vectors: Float64Array, dim: number, count: number): Float64Array {
  const out = new Float64Array(dim * count);
  for (let i = 0; i < dim; i++) out.set(vectors.subarray(i * dim, i * dim + count), i * count);
  return out;
}

/** diag(factors^power) m for a rows x cols matrix m, with power +1 or -1. */
function scaleRows(m: Float64Array, cols: number, factors: Float64Array, power: 1 | -1): Float64Array {
  const out = new Float64Array(m.length);
  for (let i = 0; i < m.length; i++) {
    const factor = factors[Math.floor(i / cols)]!;
    out[i] = power === 1 ? m[i]! * factor : m[i]! / factor;
  }
  return out;
}
