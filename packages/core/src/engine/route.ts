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
