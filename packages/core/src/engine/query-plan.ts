import type { QuantizedAttributes } from '../attributes/quantized-attributes.ts';
import type { Metric } from '../distance/metric.ts';
import { compileFilter } from '../filter/compile-filter.ts';
import type { FilterAst } from '../filter/filter-ast.ts';
import type { LeanVecModel } from '../leanvec/leanvec-model.ts';
import { projectQuery } from '../leanvec/leanvec-projection.ts';
import { partitionHyperplaneBounds, partitionLowerBounds, planRoute } from './route.ts';
import { routeFilter } from './routing-filter.ts';
import type { SearchParameters } from './search-parameters.ts';

/**
 * What planning a query needs to know about an index: the routing data, without any partition.
 * The in-process engine (`VectorIndex`) holds it with its partitions; the serverless coordinator
 * loads it from the index's routing objects.
 */
export interface RoutingIndex {
  readonly metric: Metric;
  readonly leanvec: LeanVecModel;
  /** partitions x d centroids in the reduced space. */
  readonly centroids: Float32Array;
  /** Per partition, the ball radius around its centroid (reduced space, not squared). */
  readonly radii: Float32Array;
  /** Partition of each global row. */
  readonly membership: Uint32Array;
  /** Rows per partition. */
  readonly partitionSizes: Uint32Array;
  readonly quantizedAttributes: QuantizedAttributes | undefined;
}

/** A validated query as the plan sees it. */
export interface PlanInput {
  /** Full-precision query (dimension D). */
  readonly vector: Float32Array;
  readonly topK: number;
  /** Parsed filter, or undefined. */
  readonly filter: FilterAst | undefined;
}

/** How far a query has got: what the executor has merged so far. */
export interface PlanProgress {
  /** Results held (at most topK). */
  readonly found: number;
  /** Distance of the worst result held; +Infinity while fewer than topK are held. */
  readonly kthDistance: number;
}

/**
 * Which partitions one query visits, decided in one place for every executor: the in-process
 * engine runs it partition by partition (`next(progress, 1)`), the serverless coordinator round by
 * round over the fan-out tree (`next(progress)`), as faiss separates the coarse step from
 * `search_preassigned`. The policy:
 *
 * 1. **Routing rule.** The `minPartitions` nearest partitions, regardless of progress; for `ip`
 *    indexes (no distance bound) every partition whose centroid is within `nprobeFactor` of the
 *    nearest one (at least `minPartitions`).
 * 2. **Adaptive top-up.** Once every routed partition has been handed out, a further partition
 *    (in centroid order) is eligible while the query holds fewer than topK results (so the answer
 *    has min(topK, matches) rows), or while its lower bound is below the current k-th distance.
 *    Unfiltered: the larger of the ball bound (exact) and `boundSlack` x the Voronoi hyperplane
 *    bound (tight but approximate, see `partitionHyperplaneBounds`), so the probe stops when no
 *    unvisited partition is likely to hold a better row than the k-th: the number visited
 *    follows the query's neighbourhood, not a fixed share. Filtered queries use
 *    `filteredBoundSlack` instead (matches far from the query must still be found). `ip` indexes
 *    have no bound and keep to the routing rule.
 *
 * A filter first narrows the candidates with the quantized attribute codes (a superset of the
 * matching rows, per partition); a partition with no candidate is never visited. Eligibility only
 * shrinks as results arrive (found grows, the k-th distance falls), so one forward pass over the
 * centroid order decides everything, and a round-based executor needs at most two rounds.
 */
export class QueryPlan {
  /** The LeanVec-reduced query, for the code-level stages. */
  readonly reduced: Float32Array;
  readonly topK: number;
  readonly filter: FilterAst | undefined;
  /** Rows that may match according to the quantized codes (every row without a filter). */
  readonly filterCandidates: number;
  /** Partitions handed out beyond the routing rule. */
  toppedUp = 0;
  private readonly order: Uint32Array;
  private readonly probeCount: number;
  private readonly counts: Uint32Array | undefined;
  private readonly perPartition: readonly Uint32Array[] | undefined;
  private readonly bounds: Float64Array | undefined;
  private readonly handedOut: number[] = [];
  private cursor = 0;

  constructor(index: RoutingIndex, query: PlanInput, parameters: SearchParameters) {
    const partitions = index.partitionSizes.length;
    const reducedDim = index.leanvec.outputDim;
    this.topK = query.topK;
    this.filter = query.filter;
    this.reduced = projectQuery(index.leanvec, query.vector);
    const route = planRoute(index.centroids, partitions, reducedDim, this.reduced, index.metric, parameters);
    this.order = route.order;
    // With a distance bound (l2, cosine) the adaptive top-up decides beyond the nearest
    // `minPartitions`; `ip` has none and keeps the factor rule.
    this.probeCount =
      index.metric === 'ip' ? route.probeCount : Math.min(partitions, Math.max(1, parameters.minPartitions));
    if (query.filter === undefined) {
      this.bounds = adaptiveBounds(index, this.reduced, parameters.boundSlack);
      this.filterCandidates = index.membership.length;
      return;
    }
    // A filter's matches may sit in any cell, far from the query's: filtered queries scale the
    // hyperplane bound by their own, smaller slack.
    this.bounds = adaptiveBounds(index, this.reduced, parameters.filteredBoundSlack);
    if (index.quantizedAttributes === undefined) {
      // No attribute codes means no schema, so no filter can hold on any row.
      this.counts = new Uint32Array(partitions);
      this.perPartition = [];
      this.filterCandidates = 0;
      return;
    }
    const bits = compileFilter(query.filter, index.quantizedAttributes).candidates();
    const split = routeFilter(bits, index.membership, index.partitionSizes);
    this.counts = split.counts;
    this.perPartition = split.perPartition;
    this.filterCandidates = split.total;
  }

  /**
   * Local rows of partition `p` that may match the filter (bit i = local row i); undefined when
   * the query has no filter (every row is a candidate).
   */
  candidates(p: number): Uint32Array | undefined {
    return this.perPartition?.[p];
  }

  /** Partitions handed out so far, in the order they were. */
  get visited(): readonly number[] {
    return this.handedOut;
  }

  /**
   * The next partitions to visit, at most `limit`, nearest centroid first; each is handed out
   * once. While routed partitions remain, only those are returned (whatever `progress` says);
   * top-up partitions are considered only after the executor has merged the routed ones, so
   * `progress` must reflect every partition handed out before. An empty array: the query is done.
   */
  next(progress: PlanProgress, limit = Number.POSITIVE_INFINITY): number[] {
    const picked: number[] = [];
    let routing = this.cursor < this.probeCount;
    while (this.cursor < this.order.length && picked.length < limit) {
      const rank = this.cursor;
      const p = this.order[rank]!;
      if (rank >= this.probeCount) {
        // The routed partitions this call handed out are not merged yet: stop here. When the
        // remaining routed partitions had no candidate, nothing was handed out, so `progress` is
        // current and the top-up can start in this call.
        if (routing && picked.length > 0) break;
        routing = false;
        if (!this.eligible(p, progress)) {
          this.cursor++;
          continue;
        }
        this.toppedUp++;
      } else if (this.counts !== undefined && this.counts[p] === 0) {
        this.cursor++;
        continue;
      }
      this.cursor++;
      picked.push(p);
      this.handedOut.push(p);
    }
    return picked;
  }

  private eligible(p: number, progress: PlanProgress): boolean {
    if (this.counts !== undefined && this.counts[p] === 0) return false;
    if (progress.found < this.topK) return true;
    return this.bounds !== undefined && this.bounds[p]! < progress.kthDistance;
  }
}

/**
 * Per partition the larger of the exact ball bound and `boundSlack` x the hyperplane bound (see
 * `QueryPlan`); undefined for `ip`.
 */
function adaptiveBounds(
  index: RoutingIndex,
  reduced: Float32Array,
  boundSlack: number,
): Float64Array | undefined {
  const dim = index.leanvec.outputDim;
  const ball = partitionLowerBounds(index.metric, reduced, index.centroids, index.radii, dim);
  const hyperplane = partitionHyperplaneBounds(index.metric, reduced, index.centroids, dim);
  if (ball === undefined || hyperplane === undefined) return ball;
  for (let p = 0; p < ball.length; p++) ball[p] = Math.max(ball[p]!, boundSlack * hyperplane[p]!);
  return ball;
}

/** Plans one query over `index` (see `QueryPlan`). */
export function planQuery(index: RoutingIndex, query: PlanInput, parameters: SearchParameters): QueryPlan {
  return new QueryPlan(index, query, parameters);
}
