import {
  FUNCTION_SETTINGS,
  type IndexSummary,
  type QueryMatch,
  type QueryResponse,
  type TreeResponse,
  type WireHit,
  type WireQuery,
  type WorkItem,
} from '@squash/contracts';
import {
  DEFAULT_SEARCH_PARAMETERS,
  planQuery,
  type QueryPlan,
  type RoutingIndex,
  type SearchParameters,
} from '@squash/core';
import { encodeBitmap } from './bitmap-codec.ts';
import type { FunctionConfig } from './config.ts';
import type { IndexAccess, PinnedManifest } from './index-access.ts';
import type { Invoker } from './invoker.ts';
import { chunkQueries } from './payload-chunks.ts';
import { RequestError } from './request-error.ts';
import { runUnits } from './tree-executor.ts';
import { mergeHits, mergeResponses } from './tree-merge.ts';
import { groupByProcessor } from './tree-plan.ts';
import { Usage } from './usage.ts';
import { type ValidQuery, validateBatch, validateQuery } from './validate-query.ts';

/** What the coordinator reads of the function configuration, plus the engine's search parameters. */
export interface CoordinatorConfig
  extends Pick<
    FunctionConfig,
    | 'indexes'
    | 'fanoutFunction'
    | 'processorFunctions'
    | 'partitionsPerProcessor'
    | 'branching'
    | 'invokeTimeoutMs'
  > {
  /** @default FUNCTION_SETTINGS.versionCheckMs.default */
  readonly versionCheckMs?: number;
  /** @default DEFAULT_SEARCH_PARAMETERS */
  readonly parameters?: SearchParameters;
}

interface IndexState {
  readonly uri: string;
  readonly manifest: PinnedManifest;
  /** What the query plan reads (core's `RoutingIndex`), from the index's routing objects. */
  readonly routing: RoutingIndex;
  checkedAt: number;
}

/**
 * The coordinator: validates requests, projects queries (LeanVec), evaluates filters on the global
 * quantized attribute codes, routes each query to partitions, runs the fan-out tree and merges.
 *
 * Which partitions a query visits is core's `QueryPlan`, the same plan the in-process engine
 * runs; the coordinator executes it a round at a time over the fan-out tree: round 1 sends every
 * query to its routed partitions, round 2 (when needed) to the top-up partitions the merged
 * results call for. The plan guarantees termination in two rounds and min(topK, matches) rows
 * unless a partition failed, which the answer says (`complete: false`, `missingPartitions`).
 */
export class CoordinatorService {
  private readonly states = new Map<string, Promise<IndexState>>();
  private readonly parameters: SearchParameters;

  constructor(
    private readonly config: CoordinatorConfig,
    private readonly access: IndexAccess,
    private readonly invoker: Invoker,
    private readonly now: () => number = Date.now,
  ) {
    this.parameters = config.parameters ?? DEFAULT_SEARCH_PARAMETERS;
  }

  listIndexes(): string[] {
    return Object.keys(this.config.indexes).sort();
  }

  async describe(name: string): Promise<IndexSummary> {
    const state = await this.state(name);
    const m = state.manifest;
    return {
      name,
      dim: m.dim,
      metric: m.metric,
      count: m.count,
      version: m.version,
      partitions: m.partitionCount,
      schema: m.schema,
    };
  }

  async query(name: string, body: unknown, requestId: string): Promise<QueryResponse> {
    const state = await this.state(name);
    const query = validateQuery(body, state.manifest.dim, state.manifest.schema);
    const started = this.now();
    const [result] = await this.run(state, [query], requestId, started);
    return result!;
  }

  async batch(
    name: string,
    body: unknown,
    requestId: string,
  ): Promise<{ results: Array<Omit<QueryResponse, 'usage'>>; usage: QueryResponse['usage'] }> {
    const state = await this.state(name);
    const queries = validateBatch(body, state.manifest.dim, state.manifest.schema);
    const started = this.now();
    const results = await this.run(state, queries, requestId, started);
    return { results: results.map(({ usage: _usage, ...rest }) => rest), usage: results[0]!.usage };
  }

  private async run(
    state: IndexState,
    queries: ValidQuery[],
    requestId: string,
    started: number,
  ): Promise<QueryResponse[]> {
    const plans = queries.map((q) =>
      planQuery(state.routing, { vector: q.vector, topK: q.topK, filter: q.filter }, this.parameters),
    );
    const wires = queries.map((q, i) => toWireQuery(q, plans[i]!.reduced));
    let hits: WireHit[][] = queries.map(() => []);
    const usage = new Usage();
    const failed = new Set<number>();
    for (;;) {
      const work = nextRound(plans, hits);
      if (work.length === 0) break;
      const response = await this.execute(state, wires, work, requestId);
      usage.add(response);
      for (const p of response.failedPartitions) failed.add(p);
      hits = hits.map((h, q) => mergeHits([h, response.hits[q]!], wires[q]!.topK));
    }
    const partitions = new Set(plans.flatMap((plan) => plan.visited)).size;
    if (failed.size > 0 && failed.size >= partitions && hits.every((h) => h.length === 0)) {
      throw new RequestError(
        'NO_PARTITION_REACHABLE',
        `no partition of index "${state.manifest.name}" could be reached`,
      );
    }
    const totals = { partitions, ...usage.toJSON(), latencyMs: this.now() - started };
    return plans.map((plan, q) => {
      const missing = plan.visited.filter((p) => failed.has(p)).sort((a, b) => a - b);
      return {
        matches: hits[q]!.map(toMatch),
        complete: missing.length === 0,
        ...(missing.length === 0 ? {} : { missingPartitions: missing }),
        usage: totals,
      };
    });
  }

  /** One round over the tree: splits the work into payload-sized chunks and merges their answers. */
  private async execute(
    state: IndexState,
    wires: WireQuery[],
    work: WorkItem[],
    requestId: string,
  ): Promise<TreeResponse> {
    const chunks = chunkQueries(wires, work);
    const responses = await Promise.all(
      chunks.map((chunk) =>
        runUnits(
          groupByProcessor(chunk.work, this.config.processorFunctions, this.config.partitionsPerProcessor),
          {
            requestId,
            index: state.manifest.name,
            version: state.manifest.version,
            indexUri: state.uri,
            queries: chunk.queries,
            branching: this.config.branching,
            fanoutFunction: this.config.fanoutFunction,
            invokeTimeoutMs: this.config.invokeTimeoutMs,
            depth: 0,
          },
          this.invoker,
        ).then((response) => chunk.expand(response, wires.length)),
      ),
    );
    return mergeResponses(
      responses,
      wires.map((w) => w.topK),
    );
  }

  private state(name: string): Promise<IndexState> {
    const uri = Object.hasOwn(this.config.indexes, name) ? this.config.indexes[name] : undefined;
    if (uri === undefined) {
      return Promise.reject(
        new RequestError(
          'INDEX_NOT_FOUND',
          `index "${name}" does not exist; available: ${this.listIndexes().join(', ') || 'none'}`,
        ),
      );
    }
    const cached = this.states.get(name);
    const checkMs = this.config.versionCheckMs ?? FUNCTION_SETTINGS.versionCheckMs.default;
    const refresh = async (previous: IndexState | undefined): Promise<IndexState> => {
      const version = await this.access.currentVersion(uri);
      if (previous !== undefined && previous.manifest.version === version) {
        previous.checkedAt = this.now();
        return previous;
      }
      const manifest = await this.access.manifest(uri, version);
      const routing = await this.access.routing(uri, manifest);
      return {
        uri,
        manifest,
        routing: { ...routing, metric: manifest.metric, partitionSizes: manifest.partitionSizes },
        checkedAt: this.now(),
      };
    };
    const next = (cached ?? Promise.resolve(undefined as IndexState | undefined)).then(
      (previous) =>
        previous !== undefined && this.now() - previous.checkedAt < checkMs ? previous : refresh(previous),
      () => refresh(undefined),
    );
    this.states.set(name, next);
    next.catch(() => this.states.delete(name));
    return next;
  }
}

/**
 * Per partition, the queries that visit it in the next round (each plan decides for its query
 * from its merged results), as work items with the candidate bitmaps of filtered queries.
 */
function nextRound(plans: readonly QueryPlan[], hits: readonly WireHit[][]): WorkItem[] {
  const byPartition = new Map<number, number[]>();
  plans.forEach((plan, q) => {
    const held = hits[q]!;
    const kthDistance = held.length < plan.topK ? Number.POSITIVE_INFINITY : held[held.length - 1]!.distance;
    for (const p of plan.next({ found: held.length, kthDistance })) {
      const list = byPartition.get(p);
      if (list === undefined) byPartition.set(p, [q]);
      else list.push(q);
    }
  });
  return [...byPartition].map(([partition, queries]) => {
    const bitmaps = queries.map((q) => plans[q]!.candidates(partition));
    return {
      partition,
      queries,
      ...(bitmaps.some((b) => b !== undefined)
        ? { candidates: bitmaps.map((b) => (b === undefined ? null : encodeBitmap(b))) }
        : {}),
    };
  });
}

function toWireQuery(query: ValidQuery, reduced: Float32Array): WireQuery {
  return {
    vector: Array.from(query.vector),
    reduced: Array.from(reduced),
    topK: query.topK,
    ...(query.filterJson === undefined ? {} : { filter: query.filterJson }),
    ...(query.includeAttributes ? { includeAttributes: true } : {}),
  };
}

function toMatch(hit: WireHit): QueryMatch {
  return {
    id: hit.id,
    distance: hit.distance,
    ...(hit.attributes === undefined ? {} : { attributes: hit.attributes }),
  };
}
