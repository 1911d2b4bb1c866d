import type {
  IndexSummary,
  QueryMatch,
  QueryResponse,
  TreeResponse,
  WireHit,
  WireQuery,
  WorkItem,
} from '@squash/contracts';
import {
  compileFilter,
  DEFAULT_SEARCH_PARAMETERS,
  partitionLowerBounds,
  planRoute,
  projectQuery,
  routeFilter,
  type SearchParameters,
} from '@squash/core';
import { encodeBitmap } from './bitmap-codec.ts';
import type { IndexAccess, PinnedManifest, RoutingData } from './index-access.ts';
import type { Invoker } from './invoker.ts';
import { chunkQueries } from './payload-chunks.ts';
import { RequestError } from './request-error.ts';
import { runUnits } from './tree-executor.ts';
import { mergeHits } from './tree-merge.ts';
import { groupByProcessor } from './tree-plan.ts';
import { type ValidQuery, validateBatch, validateQuery } from './validate-query.ts';

export interface CoordinatorConfig {
  /** Index name -> store URI. */
  readonly indexes: Readonly<Record<string, string>>;
  readonly fanoutFunction: string;
  readonly processorFunctions: readonly string[];
  /** @default 1 */
  readonly partitionsPerProcessor: number;
  /** @default 8 */
  readonly branching: number;
  /** @default 25000 */
  readonly invokeTimeoutMs: number;
  /** How long a loaded index version is trusted before `CURRENT` is read again. @default 10000 */
  readonly versionCheckMs?: number;
  readonly parameters?: SearchParameters;
}

interface IndexState {
  readonly uri: string;
  readonly manifest: PinnedManifest;
  readonly routing: RoutingData;
  checkedAt: number;
}

/** Per-query state across routing rounds. */
interface QueryState {
  readonly query: ValidQuery;
  readonly wire: WireQuery;
  readonly reduced: Float32Array;
  readonly order: Uint32Array;
  readonly probeCount: number;
  readonly counts: Uint32Array | undefined;
  readonly candidates: Array<Uint32Array> | undefined;
  readonly bounds: Float64Array | undefined;
  readonly visited: Set<number>;
  hits: WireHit[];
}

const MAX_ROUNDS = 3;

/**
 * The coordinator: validates requests, projects queries (LeanVec), evaluates filters on the global
 * quantized attribute codes, routes each query to partitions, runs the fan-out tree and merges.
 *
 * Routing runs in rounds: round 1 visits the partitions the routing rule picks; later rounds add,
 * per query, partitions whose distance lower bound is below the current k-th distance (filtered
 * queries) and, when a query still has fewer than topK results, every partition that may hold a
 * match, so the answer has min(topK, matches) rows unless a partition failed, which the answer
 * says (`complete: false`, `missingPartitions`).
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
    const states = queries.map((q) => this.prepare(state, q));
    const totals = { invocations: 0, coldStarts: 0, bytesRead: 0 };
    const failed = new Set<number>();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const work = this.plan(states, round, failed);
      if (work.size === 0) break;
      const response = await this.execute(state, states, work, requestId);
      totals.invocations += response.invocations;
      totals.coldStarts += response.coldStarts;
      totals.bytesRead += response.bytesRead;
      for (const p of response.failedPartitions) failed.add(p);
      states.forEach((s, q) => {
        s.hits = mergeHits([s.hits, response.hits[q] ?? []], s.wire.topK);
      });
    }
    const partitions = new Set(states.flatMap((s) => [...s.visited])).size;
    if (failed.size > 0 && failed.size >= partitions && states.every((s) => s.hits.length === 0)) {
      throw new RequestError(
        'NO_PARTITION_REACHABLE',
        `no partition of index "${state.manifest.name}" could be reached`,
      );
    }
    const usage = { partitions, ...totals, latencyMs: this.now() - started };
    return states.map((s) => {
      const missing = [...s.visited].filter((p) => failed.has(p)).sort((a, b) => a - b);
      return {
        matches: s.hits.map(toMatch),
        complete: missing.length === 0,
        ...(missing.length === 0 ? {} : { missingPartitions: missing }),
        usage,
      };
    });
  }

  private prepare(state: IndexState, query: ValidQuery): QueryState {
    const { routing, manifest } = state;
    const reduced = projectQuery(routing.leanvec, query.vector);
    const route = planRoute(
      routing.centroids,
      manifest.partitionCount,
      manifest.reducedDim,
      reduced,
      manifest.metric,
      this.parameters,
    );
    let counts: Uint32Array | undefined;
    let candidates: Uint32Array[] | undefined;
    if (query.filter !== undefined) {
      if (routing.quantizedAttributes === undefined) {
        counts = new Uint32Array(manifest.partitionCount);
      } else {
        const bits = compileFilter(query.filter, routing.quantizedAttributes).candidates();
        const split = routeFilter(bits, routing.membership, manifest.partitionSizes);
        counts = split.counts;
        candidates = [...split.perPartition];
      }
    }
    return {
      query,
      wire: {
        vector: Array.from(query.vector),
        reduced: Array.from(reduced),
        topK: query.topK,
        ...(query.filterJson === undefined ? {} : { filter: query.filterJson }),
        ...(query.includeAttributes ? { includeAttributes: true } : {}),
      },
      reduced,
      order: route.order,
      probeCount: route.probeCount,
      counts,
      candidates,
      bounds:
        query.filter === undefined
          ? undefined
          : partitionLowerBounds(
              manifest.metric,
              reduced,
              routing.centroids,
              routing.radii,
              manifest.reducedDim,
            ),
      visited: new Set(),
      hits: [],
    };
  }

  /** Partitions each query visits this round: query index lists keyed by partition. */
  private plan(states: QueryState[], round: number, failed: Set<number>): Map<number, number[]> {
    const work = new Map<number, number[]>();
    const add = (p: number, q: number, s: QueryState): void => {
      s.visited.add(p);
      const list = work.get(p) ?? [];
      if (list.length === 0) work.set(p, list);
      list.push(q);
    };
    states.forEach((s, q) => {
      const short = s.hits.length < s.wire.topK;
      const kth = short ? Number.POSITIVE_INFINITY : s.hits[s.hits.length - 1]!.distance;
      for (let rank = 0; rank < s.order.length; rank++) {
        const p = s.order[rank]!;
        if (s.visited.has(p) || failed.has(p)) continue;
        if (s.counts !== undefined && s.counts[p] === 0) continue;
        const inProbe = rank < s.probeCount;
        if (round === 0 ? inProbe : short || (s.bounds !== undefined && s.bounds[p]! < kth)) add(p, q, s);
        else if (round === 0) break;
      }
    });
    return work;
  }

  private async execute(
    state: IndexState,
    states: QueryState[],
    work: Map<number, number[]>,
    requestId: string,
  ): Promise<TreeResponse> {
    const items: WorkItem[] = [...work].map(([partition, queries]) => ({
      partition,
      queries,
      ...(queries.some((q) => states[q]!.candidates !== undefined)
        ? {
            candidates: queries.map((q) =>
              states[q]!.candidates === undefined ? null : encodeBitmap(states[q]!.candidates![partition]!),
            ),
          }
        : {}),
    }));
    const chunks = chunkQueries(
      states.map((s) => s.wire),
      items,
    );
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
        ).then((response) => chunk.remap(response, states.length)),
      ),
    );
    return responses.reduce((acc, r) => ({
      hits: acc.hits.map((h, q) => mergeHits([h, r.hits[q] ?? []], states[q]!.wire.topK)),
      searched: [...acc.searched, ...r.searched],
      failedPartitions: [...acc.failedPartitions, ...r.failedPartitions],
      invocations: acc.invocations + r.invocations,
      coldStarts: acc.coldStarts + r.coldStarts,
      bytesRead: acc.bytesRead + r.bytesRead,
    }));
  }

  private state(name: string): Promise<IndexState> {
    const uri = this.config.indexes[name];
    if (uri === undefined) {
      return Promise.reject(
        new RequestError(
          'INDEX_NOT_FOUND',
          `index "${name}" does not exist; available: ${this.listIndexes().join(', ') || 'none'}`,
        ),
      );
    }
    const cached = this.states.get(name);
    const checkMs = this.config.versionCheckMs ?? 10_000;
    const refresh = async (previous: IndexState | undefined): Promise<IndexState> => {
      const version = await this.access.currentVersion(uri);
      if (previous !== undefined && previous.manifest.version === version) {
        previous.checkedAt = this.now();
        return previous;
      }
      const manifest = await this.access.manifest(uri, version);
      const routing = await this.access.routing(uri, manifest);
      return { uri, manifest, routing, checkedAt: this.now() };
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

function toMatch(hit: WireHit): QueryMatch {
  return {
    id: hit.id,
    distance: hit.distance,
    ...(hit.attributes === undefined ? {} : { attributes: hit.attributes }),
  };
}
