import type { Metric } from '../distance/metric.ts';
import { cosineFromDot, dotImpl, l2Impl, normImpl } from '../distance/reference-kernels.ts';
import type { SearchParameters } from './search-parameters.ts';

/** The order in which a query visits partitions, and how many it visits before any top-up. */
export interface RoutePlan {
  /** Every partition, nearest centroid first (equal distances: lower id first). */
  readonly order: Uint32Array;
  /** Squared L2 distance of each partition's centroid to the query, indexed by partition id. */
  readonly centroidDistances: Float64Array;
  /** How many partitions of `order` the factor rule selects (at least `minPartitions`). */
  readonly probeCount: number;
}

/**
 * Ranks partitions by the distance between the LeanVec-reduced query and each centroid: squared L2
 * for `l2` indexes; for `ip` and `cosine`, the cosine distance to the centroid's direction (the
 * reduced query and data live in inner-product space, where a centroid's length says how tight
 * its cluster is, not how near it is). The factor rule visits every partition whose
 * centroid distance is at most `nprobeFactor` x the nearest one (with a small absolute slack so a
 * query sitting on a centroid still probes its neighbours), and never fewer than `minPartitions`.
 * Callers top up beyond `probeCount` when the visited partitions hold fewer than topK matches.
 */
export function planRoute(
  centroids: Float32Array,
  partitions: number,
  dim: number,
  query: Float32Array,
  metric: Metric,
  parameters: Pick<SearchParameters, 'nprobeFactor' | 'minPartitions'>,
): RoutePlan {
  const centroidDistances = new Float64Array(partitions);
  const queryNorm = normImpl(query, 0, dim);
  for (let p = 0; p < partitions; p++) {
    const offset = p * dim;
    centroidDistances[p] =
      metric === 'l2'
        ? l2Impl(query, 0, centroids, offset, dim)
        : cosineFromDot(
            dotImpl(query, 0, centroids, offset, dim),
            queryNorm,
            normImpl(centroids, offset, dim),
          );
  }
  const order = Uint32Array.from({ length: partitions }, (_, p) => p);
  order.sort((a, b) => centroidDistances[a]! - centroidDistances[b]! || a - b);
  if (partitions === 0) return { order, centroidDistances, probeCount: 0 };
  const nearest = centroidDistances[order[0]!]!;
  const slack = meanGap(centroidDistances, order) * 1e-3;
  const limit = nearest * parameters.nprobeFactor + slack;
  let probeCount = 0;
  while (probeCount < partitions && centroidDistances[order[probeCount]!]! <= limit) probeCount++;
  probeCount = Math.min(partitions, Math.max(probeCount, parameters.minPartitions));
  return { order, centroidDistances, probeCount };
}

function meanGap(distances: Float64Array, order: Uint32Array): number {
  if (order.length < 2) return 0;
  return (distances[order[order.length - 1]!]! - distances[order[0]!]!) / (order.length - 1);
}

/**
 * Per partition, a lower bound on the exact distance of any of its rows, in the index's metric,
 * from the ball around its centroid: (||z - c|| - radius)^2 in the reduced space. For `l2` it is
 * a true bound (an orthonormal projection never lengthens a difference vector); for `cosine`
 * (unit rows, LeanVec-ID) the reduced squared L2 is at most 2 x the cosine distance, so half of
 * it bounds that. `ip` has no such bound: undefined, and only the routing rule applies.
 *
 * With a filter, a partition is visited beyond the routing rule while its bound is below the
 * current k-th distance, so matches that live far from the query (a filter on a class other
 * than the query's, say) are still found. Without a filter the nearest partitions hold the
 * top-k and the ball bound, loose in high dimensions, would visit nearly every partition; only
 * the routing rule applies.
 */
export function partitionLowerBounds(
  metric: Metric,
  reduced: Float32Array,
  centroids: Float32Array,
  radii: Float32Array,
  dim: number,
): Float64Array | undefined {
  if (metric === 'ip') return undefined;
  const count = radii.length;
  const bounds = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const gap = Math.sqrt(l2Impl(reduced, 0, centroids, p * dim, dim)) - radii[p]!;
    const squared = gap > 0 ? gap * gap : 0;
    bounds[p] = metric === 'l2' ? squared : squared / 2;
  }
  return bounds;
}

/**
 * Per partition, a lower bound on the distance of its rows from the Voronoi cell of its centroid:
 * a row nearer to centroid c_p than to the query's nearest centroid c_1 lies beyond the bisecting
 * hyperplane of c_p and c_1, at distance (|z - c_p|^2 - |z - c_1|^2) / (2 |c_p - c_1|) or more
 * from the reduced query z (the classic IVF bound). Squared, in the index's metric as for
 * `partitionLowerBounds` (halved for `cosine`); undefined for `ip`. Much tighter than the ball
 * bound in high dimensions, but balanced k-means assigns some rows to a centroid other than their
 * nearest, so it is an estimate for those rows: the plan's `boundSlack` scales it.
 */
export function partitionHyperplaneBounds(
  metric: Metric,
  reduced: Float32Array,
  centroids: Float32Array,
  dim: number,
): Float64Array | undefined {
  if (metric === 'ip') return undefined;
  const count = centroids.length / dim;
  const bounds = new Float64Array(count);
  if (count === 0) return bounds;
  const distances = new Float64Array(count);
  let nearest = 0;
  for (let p = 0; p < count; p++) {
    distances[p] = l2Impl(reduced, 0, centroids, p * dim, dim);
    if (distances[p]! < distances[nearest]!) nearest = p;
  }
  for (let p = 0; p < count; p++) {
    if (p === nearest) continue;
    const separation = Math.sqrt(l2Impl(centroids, p * dim, centroids, nearest * dim, dim));
    const gap = separation > 0 ? (distances[p]! - distances[nearest]!) / (2 * separation) : 0;
    const squared = gap > 0 ? gap * gap : 0;
    bounds[p] = metric === 'l2' ? squared : squared / 2;
  }
  return bounds;
}
