import type { AttributeColumns } from '../attributes/attribute-columns.ts';
import type { QuantizedAttributes } from '../attributes/quantized-attributes.ts';
import type { Metric } from '../distance/metric.ts';
import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import type { FilterAst } from '../filter/filter-ast.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import type { LeanVecModel } from '../leanvec/leanvec-model.ts';
import { TopK } from '../search/top-k.ts';
import type { PartitionData } from './partition-data.ts';
import { PartitionSearcher } from './partition-search.ts';
import { planQuery, type QueryPlan, type RoutingIndex } from './query-plan.ts';
import { resolveSearchParameters, type SearchParameters } from './search-parameters.ts';

/** The parts of an index, as `buildIndex` makes them and a loader restores them. */
export interface VectorIndexParts {
  readonly metric: Metric;
  /** D: dimension of the vectors the index was built from (and queries must have). */
  readonly dim: number;
  readonly count: number;
  readonly leanvec: LeanVecModel;
  /** partitions x d centroids in the reduced space. */
  readonly centroids: Float32Array;
  /**
   * Per partition, the largest L2 distance (not squared) from its centroid to one of its rows in
   * the reduced space: the ball radius that gives each partition a distance lower bound.
   */
  readonly radii: Float32Array;
  /** Partition of each global row. */
  readonly membership: Uint32Array;
  readonly partitions: readonly PartitionData[];
  readonly attributes: AttributeColumns | undefined;
  readonly quantizedAttributes: QuantizedAttributes | undefined;
  readonly buildParameters: {
    readonly partitions: number;
    readonly leanvecDim: number;
    readonly bitsPerDim: number;
    readonly seed: number;
  };
}

export interface IndexSearchOptions {
  /** Neighbours to return, 1..`ENGINE_MAX_TOP_K`. @default 10 */
  readonly topK?: number;
  /** Filter in the JSON filter language (docs/filters.md). Rows that fail it never appear. */
  readonly filter?: unknown;
  /** Overrides of the search parameters for this query. */
  readonly parameters?: Partial<SearchParameters>;
}

export interface IndexSearchStats {
  readonly partitionsVisited: number;
  /** Partitions visited beyond the routing rule because too few matches had been found. */
  readonly partitionsToppedUp: number;
  /** Rows that may match the filter according to the quantized attribute codes. */
  readonly filterCandidates: number;
  readonly matchedRows: number;
  readonly hammingKept: number;
  readonly reranked: number;
  readonly bytesTouched: number;
}

export interface IndexSearchResult {
  /** Global row ids (0-based positions in the build input), nearest first; ties: lower id first. */
  readonly ids: number[];
  /** Exact distances in the index's metric (lower is closer). */
  readonly distances: number[];
  readonly stats: IndexSearchStats;
}

/**
 * Largest topK the in-process engine accepts (`squash search` writes results to files, so no
 * payload limit applies). The HTTP API allows less (`MAX_TOP_K` in contracts: 1000) because its
 * answers must fit a 6 MB Lambda response.
 */
export const ENGINE_MAX_TOP_K = 10_000;

/**
 * An index held in memory: LeanVec model, routing data and partitions. `search` returns
 * min(topK, rows matching the filter) results, always, each re-ranked with its exact distance.
 */
export class VectorIndex {
  readonly metric: Metric;
  readonly dim: number;
  readonly count: number;
  /** The routing data the query plan reads (the same shape the coordinator loads). */
  readonly routing: RoutingIndex;
  private readonly searchers: PartitionSearcher[];

  constructor(readonly parts: VectorIndexParts) {
    this.metric = parts.metric;
    this.dim = parts.dim;
    this.count = parts.count;
    this.searchers = parts.partitions.map((partition) => new PartitionSearcher(partition));
    this.routing = {
      metric: parts.metric,
      leanvec: parts.leanvec,
      centroids: parts.centroids,
      radii: parts.radii,
      membership: parts.membership,
      partitionSizes: Uint32Array.from(parts.partitions, (p) => p.rowIds.length),
      quantizedAttributes: parts.quantizedAttributes,
    };
  }

  /** Parses a JSON filter against this index's schema (throws `InvalidFilterError`). */
  parseFilter(filter: unknown): FilterAst {
    const schema = this.parts.attributes?.schema ?? {};
    return parseFilter(filter, schema);
  }

  search(query: Float32Array, options: IndexSearchOptions = {}): IndexSearchResult {
    const topK = options.topK ?? 10;
    this.validateQuery(query, topK);
    const parameters = resolveSearchParameters(options.parameters);
    const filter = options.filter === undefined ? undefined : this.parseFilter(options.filter);
    const plan = planQuery(this.routing, { vector: query, topK, filter }, parameters);
    return this.execute(query, plan, parameters);
  }

  /**
   * The local executor of a `QueryPlan`: one partition at a time, merging after each, so every
   * top-up decision sees the tightest k-th distance (the serverless coordinator runs the same
   * plan a round at a time over the fan-out tree).
   */
  private execute(query: Float32Array, plan: QueryPlan, parameters: SearchParameters): IndexSearchResult {
    const top = new TopK(plan.topK);
    const totals = { partitionsVisited: 0, matchedRows: 0, hammingKept: 0, reranked: 0, bytesTouched: 0 };
    for (;;) {
      const [p] = plan.next({ found: top.size, kthDistance: top.worstDistance }, 1);
      if (p === undefined) break;
      const candidates = plan.candidates(p);
      const result = this.searchers[p]!.search(
        {
          vector: query,
          reduced: plan.reduced,
          topK: plan.topK,
          ...(plan.filter === undefined ? {} : { filter: plan.filter }),
          ...(candidates === undefined ? {} : { candidateBitmap: candidates }),
        },
        parameters,
      );
      for (let j = 0; j < result.ids.length; j++) top.push(result.distances[j]!, result.ids[j]!);
      totals.partitionsVisited++;
      totals.matchedRows += result.stats.matchedRows;
      totals.hammingKept += result.stats.hammingKept;
      totals.reranked += result.stats.reranked;
      totals.bytesTouched += result.stats.bytesTouched;
    }
    const { ids, distances } = top.result();
    return {
      ids,
      distances,
      stats: { ...totals, partitionsToppedUp: plan.toppedUp, filterCandidates: plan.filterCandidates },
    };
  }

  private validateQuery(query: Float32Array, topK: number): void {
    if (query.length !== this.dim) {
      throw new DimensionMismatchError(
        this.dim,
        query.length,
        `query vector has ${query.length} dimensions; the index expects ${this.dim}`,
      );
    }
    for (let j = 0; j < query.length; j++) {
      if (!Number.isFinite(query[j]!)) {
        throw new InvalidArgumentError(
          'vector',
          `query vector holds ${query[j]} at position ${j}; allowed: finite numbers`,
        );
      }
    }
    if (!Number.isInteger(topK) || topK < 1 || topK > ENGINE_MAX_TOP_K) {
      throw new InvalidArgumentError('topK', `topK is ${topK}; allowed: an integer 1..${ENGINE_MAX_TOP_K}`);
    }
  }
}
