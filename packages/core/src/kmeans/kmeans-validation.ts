import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { KMEANS_BACKENDS, type KMeansBackend } from './kmeans-backend.ts';

/**
 * Boundary checks shared by the public k-means entry points. Inner `...Impl` functions assume
 * these have passed.
 */

/** `n` and `dim` are positive integers and `data` holds exactly n x dim finite values. */
export function assertMatrix(data: Float32Array, n: number, dim: number, argument = 'data'): void {
  assertInteger('n', n, 1);
  assertInteger('dim', dim, 1);
  if (!(data instanceof Float32Array)) {
    throw new InvalidArgumentError(argument, `${argument} must be a Float32Array`);
  }
  if (data.length !== n * dim) {
    throw new InvalidArgumentError(
      argument,
      `${argument} has ${data.length} values; ${n} rows of ${dim} dimensions need ${n * dim}`,
    );
  }
  const row = firstNonFiniteRow(data, n, dim);
  if (row >= 0) {
    let j = 0;
    while (Number.isFinite(data[row * dim + j]!)) j++;
    throw new InvalidArgumentError(
      argument,
      `${argument} row ${row} holds ${data[row * dim + j]} at dimension ${j}; allowed: finite numbers`,
    );
  }
}

/**
 * First row holding NaN or +-Infinity, or -1. `v * 0` is 0 for finite v and NaN otherwise, so a
 * branch-free sum per row finds it: a million 128-d rows check in about 0.1 s.
 */
function firstNonFiniteRow(data: Float32Array, n: number, dim: number): number {
  for (let i = 0; i < n; i++) {
    let probe = 0;
    for (let j = i * dim, end = j + dim; j < end; j++) probe += data[j]! * 0;
    if (probe !== 0) return i;
  }
  return -1;
}

/** `value` is an integer in [min, max]. */
export function assertInteger(
  argument: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw new InvalidArgumentError(argument, `${argument} is ${value}; allowed: an integer ${range}`);
  }
}

/**
 * `centroids` holds `count` x `dim` values, all finite when `checkFinite` (a per-query router
 * skips that scan: it would cost as much as the distances themselves).
 */
export function assertCentroids(
  centroids: Float32Array,
  count: number,
  dim: number,
  checkFinite = true,
): void {
  assertInteger('partitions', count, 1);
  if (!(centroids instanceof Float32Array) || centroids.length !== count * dim) {
    throw new InvalidArgumentError(
      'centroids',
      `centroids has ${centroids?.length} values; ${count} centroids of ${dim} dimensions need ${count * dim}`,
    );
  }
  const row = checkFinite ? firstNonFiniteRow(centroids, count, dim) : -1;
  if (row >= 0) {
    throw new InvalidArgumentError(
      'centroids',
      `centroid ${row} holds a non-finite value; allowed: finite numbers`,
    );
  }
}

/** `query` has `dim` values. */
export function assertQuery(query: Float32Array, dim: number): void {
  if (query.length !== dim) {
    throw new DimensionMismatchError(
      dim,
      query.length,
      `query vector has ${query.length} dimensions; centroids have ${dim}`,
    );
  }
}

/** Rejects option keys outside `allowed`, so a typo is an error and not a silent default. */
export function assertKnownOptions(options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError('options', `unknown option "${key}"; allowed: ${allowed.join(', ')}`);
    }
  }
}

/** The balance tolerance is a finite number in [0, 1). */
export function assertTolerance(tolerance: number): void {
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 1) {
    throw new InvalidArgumentError('tolerance', `tolerance is ${tolerance}; allowed: a number in [0, 1)`);
  }
}

/** `backend` is one of `KMEANS_BACKENDS`. */
export function assertBackend(backend: KMeansBackend): KMeansBackend {
  if (!KMEANS_BACKENDS.includes(backend)) {
    throw new InvalidArgumentError(
      'backend',
      `backend is ${JSON.stringify(backend)}; allowed: ${KMEANS_BACKENDS.join(', ')}`,
    );
  }
  return backend;
}
