import {
  FUNCTION_SETTINGS,
  type HealthResponse,
  type IndexHealth,
  type IndexSummary,
  MAX_SYNC_PAYLOAD_BYTES,
  type QueryResponse,
  type QueryUsage,
  type TreeResponse,
  type WireQuery,
  type WorkItem,
} from '@squash/contracts';
import { DEFAULT_SEARCH_PARAMETERS, planQuery, type RoutingIndex, type SearchParameters } from '@squash/core';
import { quote, SquashError } from '@squash/errors';
import { assertAnswerFits, type RowBytes } from './answer-size.ts';
import type { FunctionConfig } from './config.ts';
import { beforeDeadline, DEADLINE_PASSED } from './deadline.ts';
import { bounded } from './faults.ts';
import type { IndexAccess, PinnedManifest } from './index-access.ts';
import type { Invoker } from './invoker.ts';
import { chunkQueries, PAYLOAD_BUDGET_SHARE } from './payload-chunks.ts';
import { QueryProgress } from './query-progress.ts';
import { nextRound, rowBytesOf, toWireQuery } from './query-rounds.ts';
import { RequestError } from './request-error.ts';
import { runUnits } from './tree-executor.ts';
import { mergeResponses } from './tree-merge.ts';
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
    | 'requestTimeoutMs'
    | 'deadlineMarginMs'
  > {
  /** @default FUNCTION_SETTINGS.versionCheckMs.default */
  readonly versionCheckMs?: number;
  /** @default DEFAULT_SEARCH_PARAMETERS */
  readonly parameters?: SearchParameters;
  /**
   * Largest request or answer of one invocation, the coordinator's own answer included. The
   * Lambda limit; smaller values only serve tests. @default MAX_SYNC_PAYLOAD_BYTES
   */
  readonly maxPayloadBytes?: number;
}

/** Where the coordinator reports faults (the function's logger). */
export interface ServiceLog {
  error(message: string, fields: Record<string, unknown>): void;
}

/** What one answered request did, for metrics (the functions publish it as CloudWatch EMF). */
export interface QueryRecord {
  readonly index: string;
  /** Queries in the request (1, or the batch's size). */
  readonly queries: number;
  readonly usage: QueryUsage;
  /** Queries answered with `complete: false`. */
  readonly incomplete: number;
  /** Missing partitions by fault reason. */
  readonly faultsByReason: Readonly<Record<string, number>>;
}

/** Hooks of the coordinator besides its configuration. */
export interface CoordinatorOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** Where missing partitions are logged at error level. */
  readonly log?: ServiceLog;
  /** Called once per answered query or batch (not for refused requests). */
  readonly onQuery?: (record: QueryRecord) => void;
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
  private readonly maxPayloadBytes: number;
  private readonly now: () => number;
  private readonly log: ServiceLog | undefined;
  private readonly onQuery: ((record: QueryRecord) => void) | undefined;

  constructor(
    private readonly config: CoordinatorConfig,
    private readonly access: IndexAccess,
    private readonly invoker: Invoker,
    options: CoordinatorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log;
    this.onQuery = options.onQuery;
    this.parameters = config.parameters ?? DEFAULT_SEARCH_PARAMETERS;
    this.maxPayloadBytes = config.maxPayloadBytes ?? MAX_SYNC_PAYLOAD_BYTES;
  }

  /**
   * Whether each served index loads: its current version's manifest and routing objects (the
   * cached state when it is fresh, see `versionCheckMs`). An index that cannot be loaded is
   * reported with the error's code and message, and makes the whole report `degraded`.
   */
  async health(): Promise<HealthResponse> {
    const entries = await Promise.all(
      this.listIndexes().map(async (name): Promise<[string, IndexHealth]> => {
        try {
          const state = await this.state(name);
          return [name, { status: 'ok', version: state.manifest.version }];
        } catch (error) {
          const code = error instanceof SquashError ? error.code : 'INTERNAL';
          const message = error instanceof Error ? error.message : String(error);
          this.log?.error('index cannot be loaded', { index: name, code, message });
          return [name, { status: 'error', code, message: bounded(message) }];
        }
      }),
    );
    const healthy = entries.every(([, health]) => health.status === 'ok');
    return { status: healthy ? 'ok' : 'degraded', indexes: Object.fromEntries(entries) };
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

  /**
   * Answers one query. `deadline` (epoch ms) is when the answer must be out; it defaults to
   * `requestTimeoutMs` from now. Partitions that do not answer in time are named in the answer.
   */
  async query(name: string, body: unknown, requestId: string, deadline?: number): Promise<QueryResponse> {
    const started = this.now();
    const state = await this.stateBefore(name, deadline ?? started + this.config.requestTimeoutMs);
    const query = validateQuery(body, state.manifest.dim, state.manifest.schema);
    const [result] = await this.run(state, [query], requestId, started, deadline);
    return result!;
  }

  /** Answers a batch of queries in one fan-out (see `query`). */
  async batch(
    name: string,
    body: unknown,
    requestId: string,
    deadline?: number,
  ): Promise<{ results: Array<Omit<QueryResponse, 'usage'>>; usage: QueryResponse['usage'] }> {
    const started = this.now();
    const state = await this.stateBefore(name, deadline ?? started + this.config.requestTimeoutMs);
    const queries = validateBatch(body, state.manifest.dim, state.manifest.schema);
    const results = await this.run(state, queries, requestId, started, deadline);
    return { results: results.map(({ usage: _usage, ...rest }) => rest), usage: results[0]!.usage };
  }

  private async run(
    state: IndexState,
    queries: ValidQuery[],
    requestId: string,
    started: number,
    deadline = started + this.config.requestTimeoutMs,
  ): Promise<QueryResponse[]> {
    const rows = rowBytesOf(state.manifest, queries);
    assertAnswerFits(
      queries.map((q) => q.topK),
      rows,
      this.maxPayloadBytes,
    );
    const plans = queries.map((q) =>
      planQuery(state.routing, { vector: q.vector, topK: q.topK, filter: q.filter }, this.parameters),
    );
    const wires = queries.map((q, i) => toWireQuery(q, plans[i]!.reduced));
    const progress = new QueryProgress(queries.length);
    const usage = new Usage();
    for (let round = 1; ; round++) {
      const work = nextRound(plans, progress.hits);
      if (work.length === 0) break;
      progress.send(work);
      if (deadline - this.now() < 2 * this.config.deadlineMarginMs) {
        // No time left for another round: its partitions are missing for lack of time, and the
        // answer says so instead of running past the deadline.
        progress.fail(work, {
          reason: 'TIMEOUT',
          message: `the request deadline (${this.config.requestTimeoutMs} ms) left no time for routing round ${round}`,
        });
        break;
      }
      const response = await this.execute(state, wires, rows, work, requestId, deadline);
      usage.add(response);
      progress.receive(response, wires);
    }
    const partitions = new Set(plans.flatMap((plan) => plan.visited)).size;
    if (progress.nothingSearched()) {
      throw new RequestError(
        'NO_PARTITION_REACHABLE',
        `no partition of index "${state.manifest.name}" could be searched: ${progress.faultSummary()}`,
      );
    }
    const faults = progress.allFaults();
    if (faults.length > 0) {
      this.log?.error('partitions missing from the answer', {
        requestId,
        index: state.manifest.name,
        faults,
      });
    }
    const totals = { partitions, ...usage.toJSON(), latencyMs: this.now() - started };
    const answers = queries.map((_, q) => ({ ...progress.answer(q), usage: totals }));
    this.onQuery?.({
      index: state.manifest.name,
      queries: queries.length,
      usage: totals,
      incomplete: answers.filter((a) => !a.complete).length,
      faultsByReason: countBy(faults.map((f) => f.reason)),
    });
    return answers;
  }

  /** One round over the tree: splits the work into payload-sized chunks and merges their answers. */
  private async execute(
    state: IndexState,
    wires: WireQuery[],
    rows: readonly RowBytes[],
    work: WorkItem[],
    requestId: string,
    deadline: number,
  ): Promise<TreeResponse> {
    const chunks = chunkQueries(
      wires,
      work,
      Math.floor(this.maxPayloadBytes * PAYLOAD_BUDGET_SHARE),
      wires.map((w, q) => w.topK * rows[q]!.wire),
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
            deadlineMarginMs: this.config.deadlineMarginMs,
            deadline,
            depth: 0,
            now: this.now,
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

  /**
   * The index's state, or 503 `NO_PARTITION_REACHABLE` when loading it (a cold start on a slow
   * store) would not leave one margin of the request budget: the load goes on and is cached, so a
   * retry finds it, and the coordinator still answers within its budget.
   */
  private async stateBefore(name: string, deadline: number): Promise<IndexState> {
    const state = await beforeDeadline(this.state(name), deadline - this.config.deadlineMarginMs, this.now);
    if (state !== DEADLINE_PASSED) return state;
    throw new RequestError(
      'NO_PARTITION_REACHABLE',
      `index ${quote(name)} is still loading after the request budget (${this.config.requestTimeoutMs} ms); retry shortly`,
    );
  }

  private state(name: string): Promise<IndexState> {
    const uri = Object.hasOwn(this.config.indexes, name) ? this.config.indexes[name] : undefined;
    if (uri === undefined) {
      return Promise.reject(
        new RequestError(
          'INDEX_NOT_FOUND',
          `index ${quote(name)} does not exist; available: ${this.listIndexes().join(', ') || 'none'}`,
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

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
