import { TopK } from '../search/top-k.ts';
import { assertCentroids, assertInteger, assertQuery } from './kmeans-validation.ts';
import { squaredL2Impl } from './squared-l2-kernels.ts';

/**
 * The `count` centroids nearest to `query` under squared L2, nearest first, equal distances
 * broken by the lower centroid id. Used to route a query to the partitions it should probe.
 * `count > partitions` returns every centroid; `count` 0 returns none.
 *
 * @throws InvalidArgumentError when `centroids.length` is not partitions x dim or `count` is not
 *   a non-negative integer.
 * @throws DimensionMismatchError when `query` does not have `dim` values.
 */
export function nearestCentroids(
  centroids: Float32Array,
  partitions: number,
  dim: number,
  query: Float32Array,
  count: number,
): Uint32Array {
  assertInteger('dim', dim, 1);
  assertCentroids(centroids, partitions, dim, false);
  assertQuery(query, dim);
  assertInteger('count', count, 0);
  const top = new TopK(Math.min(count, partitions));
  for (let c = 0; c < partitions; c++) top.push(squaredL2Impl(query, 0, centroids, c * dim, dim), c);
  return Uint32Array.from(top.result().ids);
}
