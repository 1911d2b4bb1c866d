import {
  FUNCTION_SETTINGS,
  type HealthResponse,
  type IndexHealth,
  type IndexSummary,
  MAX_SYNC_PAYLOAD_BYTES,
  type QueryResponse,
  type QueryUsage,
} from '@squash/contracts';
import { DEFAULT_SEARCH_PARAMETERS, type SearchParameters } from '@squash/core';
import { quote, SquashError } from '@squash/errors';
import { type BlobStore, openBlobStore } from '@squash/storage';
import { assertAnswerFits, baseMetadataBytes, includeBytes, tailRowBytes } from './answer-size.ts';
import { runBaseRounds } from './base-rounds.ts';
import type { FunctionConfig } from './config.ts';
import { beforeDeadline, DEADLINE_PASSED } from './deadline.ts';
import { bounded } from './faults.ts';
import { type FetchResponse, fetchRows, validateFetch } from './fetch-rows.ts';
import type { IndexAccess } from './index-access.ts';
import { IndexDirectory } from './index-directory.ts';
import { IndexStates, type IndexView, type TailReads } from './index-states.ts';
import type { Invoker } from './invoker.ts';
import { QueryProgress } from './query-progress.ts';
import { RequestError } from './request-error.ts';
import { readExtras } from './row-includes.ts';
import { maskedCount, maskedRows } from './tail-mask.ts';
import { emptyResponse } from './tree-merge.ts';
import { Usage } from './usage.ts';
import { type ValidQuery, validateBatch, validateQuery } from './validate-query.ts';
import { MAX_METADATA_BYTES } from './write-validation.ts';

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
  /**
   * Store root of the run-time index catalog (`SQUASH_INDEX_ROOT`); '' or absent: only the static
   * `indexes` table is served. @default ''
   */
  readonly indexRoot?: string;
  /** How fresh a query's view of the write log is (see `TailReads`). @default 'read-your-writes' */
  readonly tailReads?: TailReads;
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
  /** Opens the catalog root's store. @default openBlobStore */
  readonly openStore?: (uri: string) => BlobStore;
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
 *
 * **Writes.** An index of the run-time catalog is its pinned base version plus the tail of its
 * write log above the base's `logSequence` (`IndexStates`). By default every query first reads
 * the log entries it has not folded yet (one LIST; read-your-writes on any coordinator), searches
 * the tail exactly (`TailSnapshot`) and seeds the merge with those hits; the base is searched
 * with the rows the tail replaced or deleted excluded per partition (`exclude` on work items),
 * so the answer is min(topK, live matches) rows with exact distances, none masked or failing the
 * filter. Vectors and metadata (`include`) are read after the final merge, for the rows returned.
 */
export class CoordinatorService {
  /** The indexes served: the static table plus the run-time catalog (shared with `WriteService`). */
  readonly directory: IndexDirectory;
  private readonly states: IndexStates;
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
    const versionCheckMs = config.versionCheckMs ?? FUNCTION_SETTINGS.versionCheckMs.default;
    this.directory = new IndexDirectory({
      indexes: config.indexes,
      indexRoot: config.indexRoot ?? '',
      open: options.openStore ?? ((uri) => openBlobStore(uri)),
      versionCheckMs,
      now: this.now,
    });
    this.states = new IndexStates(this.directory, access, {
      versionCheckMs,
      tailReads: config.tailReads ?? 'read-your-writes',
      now: this.now,
    });
  }

  /**
   * Whether each served index loads: its current version's manifest and routing objects and its
   * log tail (the cached state when it is fresh, see `versionCheckMs`). An index that cannot be
   * loaded is reported with the error's code and message, and makes the whole report `degraded`.
   */
  async health(): Promise<HealthResponse> {
    const entries = await Promise.all(
      (await this.listIndexes()).map(async (name): Promise<[string, IndexHealth]> => {
        try {
          const view = await this.states.view(name);
          return [name, { status: 'ok', version: view.base?.manifest.version ?? '' }];
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

  /** Every index served now (see `IndexDirectory` for how fresh the catalog is). */
  listIndexes(): Promise<string[]> {
    return this.directory.list();
  }

  /**
   * The index's shape and live row count (base rows not masked by the tail, plus the tail's rows).
   * An index without a version yet has `version: ''` and no partitions; all its rows are in the
   * tail.
   */
  async describe(name: string): Promise<IndexSummary> {
    const view = await this.states.view(name);
    const base = view.base;
    const tail = view.tail;
    const hidden =
      base === undefined || tail === undefined || tail.masked.size === 0
        ? 0
        : maskedCount(tail.masked, await base.locations());
    return {
      name,
      dim: view.dim,
      metric: view.metric,
      count: (base?.manifest.count ?? 0) - hidden + (tail?.rows.length ?? 0),
      version: base?.manifest.version ?? '',
      partitions: base?.manifest.partitionCount ?? 0,
      schema: view.schema,
    };
  }

  /**
   * Answers one query. `deadline` (epoch ms) is when the answer must be out; it defaults to
   * `requestTimeoutMs` from now. Partitions that do not answer in time are named in the answer.
   */
  async query(name: string, body: unknown, requestId: string, deadline?: number): Promise<QueryResponse> {
    const started = this.now();
    const view = await this.viewBefore(name, deadline ?? started + this.config.requestTimeoutMs);
    const query = validateQuery(body, view.dim, view.schema);
    const [result] = await this.run(view, [query], requestId, started, deadline);
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
    const view = await this.viewBefore(name, deadline ?? started + this.config.requestTimeoutMs);
    const queries = validateBatch(body, view.dim, view.schema);
    const results = await this.run(view, queries, requestId, started, deadline);
    return { results: results.map(({ usage: _usage, ...rest }) => rest), usage: results[0]!.usage };
  }

  /** The live rows of `ids` (see `fetchRows`); ids not found are left out. */
  async fetch(name: string, body: unknown, deadline?: number): Promise<FetchResponse> {
    const view = await this.viewBefore(name, deadline ?? this.now() + this.config.requestTimeoutMs);
    return fetchRows(view, this.access, validateFetch(body));
  }

  /**
   * Runs queries on base + tail: the tail exactly (its hits seed the merge, so the plan sees them
   * as found rows), the base over the tree with the tail's masked rows excluded per partition.
   */
  private async run(
    view: IndexView,
    queries: ValidQuery[],
    requestId: string,
    started: number,
    deadline = started + this.config.requestTimeoutMs,
  ): Promise<QueryResponse[]> {
    const metadataBytes = Math.max(
      view.tail?.maxMetadataBytes ?? 0,
      view.base === undefined ? 0 : baseMetadataBytes(view.base.manifest, MAX_METADATA_BYTES),
    );
    const extraAnswerBytes = queries.map((q) =>
      includeBytes(view.dim, q.includeVector, q.includeMetadata && metadataBytes > 0, metadataBytes),
    );
    if (view.base === undefined) {
      assertAnswerFits(
        queries.map((q) => q.topK),
        queries.map((q, i) => {
          const row = tailRowBytes(view.schema, q.includeAttributes);
          return { wire: row.wire, answer: row.answer + extraAnswerBytes[i]! };
        }),
        this.maxPayloadBytes,
      );
    }
    const progress = new QueryProgress(queries.length);
    const usage = new Usage();
    const tailHits = queries.map((q) => view.tail?.search(q) ?? []);
    progress.receive({ ...emptyResponse(queries.length), hits: tailHits }, queries);
    const base = view.base;
    let partitions = 0;
    if (base !== undefined) {
      const masked = view.tail?.masked;
      const exclude =
        masked === undefined || masked.size === 0 ? undefined : maskedRows(masked, await base.locations());
      partitions = await runBaseRounds(
        {
          name: view.name,
          base,
          uri: view.uri,
          queries,
          progress,
          usage,
          requestId,
          deadline,
          exclude,
          extraAnswerBytes,
        },
        {
          config: this.config,
          invoker: this.invoker,
          parameters: this.parameters,
          maxPayloadBytes: this.maxPayloadBytes,
          now: this.now,
        },
      );
    }
    const faults = progress.allFaults();
    if (faults.length > 0) {
      this.log?.error('partitions missing from the answer', { requestId, index: view.name, faults });
    }
    const extras = await readExtras(
      view,
      this.access,
      progress.hits,
      queries.map((q) => ({ vector: q.includeVector, metadata: q.includeMetadata })),
    );
    const totals = { partitions, ...usage.toJSON(), latencyMs: this.now() - started };
    const answers = queries.map((_, q) => {
      const answer = progress.answer(q);
      const matches = answer.matches.map((match, k) => ({ ...match, ...extras[q]![k]! }));
      return { ...answer, matches, usage: totals };
    });
    this.onQuery?.({
      index: view.name,
      queries: queries.length,
      usage: totals,
      incomplete: answers.filter((a) => !a.complete).length,
      faultsByReason: countBy(faults.map((f) => f.reason)),
    });
    return answers;
  }

  /**
   * The index's view, or 503 `NO_PARTITION_REACHABLE` when loading it (a cold start on a slow
   * store) would not leave one margin of the request budget: the load goes on and is cached, so a
   * retry finds it, and the coordinator still answers within its budget.
   */
  private async viewBefore(name: string, deadline: number): Promise<IndexView> {
    const view = await beforeDeadline(
      this.states.view(name),
      deadline - this.config.deadlineMarginMs,
      this.now,
    );
    if (view !== DEADLINE_PASSED) return view;
    throw new RequestError(
      'NO_PARTITION_REACHABLE',
      `index ${quote(name)} is still loading after the request budget (${this.config.requestTimeoutMs} ms); retry shortly`,
    );
  }

  /** Drops what this coordinator holds of `name` (called after a delete through this process). */
  forget(name: string): void {
    this.states.forget(name);
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
