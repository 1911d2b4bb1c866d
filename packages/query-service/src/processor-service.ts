import type { PartitionFault, ProcessorRequest, TreeResponse, WireHit, WorkItem } from '@squash/contracts';
import {
  type AttributeColumns,
  type FilterAst,
  PartitionSearcher,
  parseFilter,
  resolveSearchParameters,
  type SearchParameters,
} from '@squash/core';
import { quote } from '@squash/errors';
import { LRUCache } from 'lru-cache';
import { attributesOfRow } from './attribute-values.ts';
import { decodeBitmap } from './bitmap-codec.ts';
import type { ServiceLog } from './coordinator-service.ts';
import { beforeDeadline, DEADLINE_PASSED } from './deadline.ts';
import { type FaultCause, loadFailureCause } from './faults.ts';
import type { IndexAccess, LoadedPartition, PinnedManifest } from './index-access.ts';
import type { StoreRoots } from './store-roots.ts';
import { mergeFaults, mergeHits } from './tree-merge.ts';

interface CachedPartition {
  readonly searcher: PartitionSearcher;
  readonly loaded: LoadedPartition;
}

/** Options of `ProcessorService`. */
export interface ProcessorOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** The store roots this processor may open; others are refused (`FORBIDDEN`). @default any */
  readonly storeRoots?: StoreRoots;
  /** Where refusals are logged (error level). */
  readonly log?: ServiceLog;
  /**
   * Bytes of loaded partitions kept in memory; past it the least recently used partition is
   * evicted (and reloaded from the store when asked for again). A partition larger than the
   * whole cache is searched without being kept. The processor handler derives it from the
   * function's memory (`cacheBytesFor`).
   * @default unbounded
   */
  readonly cacheMaxBytes?: number;
}

/**
 * The cache budget of a processor: `partitionCacheMb` when set, else 60% of the function's memory
 * (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, set by Lambda and by the local runtime), leaving the rest for
 * the Node heap, request payloads and scratch space. 1024 MB when neither is known.
 */
export function cacheBytesFor(partitionCacheMb: number, functionMemoryMb: number | undefined): number {
  const mb = partitionCacheMb > 0 ? partitionCacheMb : Math.floor(0.6 * (functionMemoryMb ?? 1706));
  return mb * 1024 * 1024;
}

/**
 * Memory one cached partition holds: its objects as fetched (the typed arrays are views on those
 * buffers) plus the searcher's WebAssembly copy of the vectors and codes, about as much again.
 */
function partitionBytes(cached: CachedPartition): number {
  return Math.max(1, 2 * cached.loaded.bytesRead);
}

/**
 * Queries of one work item searched per pass over a partition's codes: large enough that a batch
 * shares the code scan, small enough that the deadline is checked often (one pass over a
 * 2,500-row partition for 32 queries takes a few milliseconds).
 */
const QUERIES_PER_SCAN = 32;

/**
 * The processor: serves the partitions it is asked for, keeping each loaded partition (vectors,
 * codes, attributes, WebAssembly scanner) in memory while the process stays warm. A request names
 * the index version the coordinator pinned; a different version evicts the old partitions and
 * loads the new ones, so one query never mixes two builds.
 *
 * A partition that fails to load is reported in `faults` with its cause (`INDEX_CORRUPT` naming
 * the object key, `STORAGE_ERROR`, ...); the others are still answered. Work stops at the
 * request's deadline (checked between partitions and between queries, and a partition load is
 * not waited for past it): what is done is returned, the rest is reported as `TIMEOUT`.
 */
export class ProcessorService {
  private readonly partitions: LRUCache<string, CachedPartition>;
  private readonly manifests = new Map<string, PinnedManifest>();
  private invocations = 0;
  private readonly now: () => number;

  constructor(
    private readonly access: IndexAccess,
    private readonly parameters: SearchParameters = resolveSearchParameters(),
    private readonly options: ProcessorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    // lru-cache rather than our own: eviction by size with O(1) recency updates is not the
    // product. maxSize must be a positive integer; "unbounded" is the largest safe one.
    this.partitions = new LRUCache<string, CachedPartition>({
      maxSize: Math.max(1, Math.floor(options.cacheMaxBytes ?? Number.MAX_SAFE_INTEGER)),
      sizeCalculation: partitionBytes,
    });
  }

  /** Partitions held and their estimated bytes (for logs and tests). */
  cacheStats(): { partitions: number; bytes: number } {
    return { partitions: this.partitions.size, bytes: this.partitions.calculatedSize };
  }

  async handle(request: ProcessorRequest): Promise<TreeResponse> {
    const coldStart = this.invocations++ === 0;
    const answer = new ProcessorAnswer(request, coldStart);
    const refusal = this.options.storeRoots?.refusal(request.indexUri);
    if (refusal !== undefined) {
      this.options.log?.error('refused an index URI outside the store roots', {
        requestId: request.requestId,
        indexUri: quote(request.indexUri),
      });
      return answer.failRest(0, refusal);
    }
    const manifest = await this.guard(request, this.manifest(request.indexUri, request.version));
    if (manifest === undefined) return answer.failRest(0, timeoutCause(request));
    if (manifest instanceof Error) return answer.failRest(0, loadFailureCause(manifest));
    answer.bytesRead += manifest.bytesRead;
    const vectors = request.queries.map((q) => ({
      vector: Float32Array.from(q.vector),
      reduced: Float32Array.from(q.reduced),
    }));
    const filters = request.queries.map((q) =>
      q.filter === undefined ? undefined : parseFilter(q.filter, manifest.schema),
    );
    for (let i = 0; i < request.work.length; i++) {
      const item = request.work[i]!;
      if (this.now() >= request.deadline) return answer.failRest(i, timeoutCause(request));
      const loaded = await this.guard(request, this.partition(request.indexUri, manifest, item.partition));
      if (loaded === undefined) return answer.failRest(i, timeoutCause(request));
      if (loaded instanceof Error) {
        answer.faults.push({ partition: item.partition, ...loadFailureCause(loaded) });
        continue;
      }
      answer.bytesRead += loaded.bytesRead;
      const done = this.searchItem(loaded.cached, item, request, vectors, filters, answer.hits);
      if (done > 0) answer.searched.push({ partition: item.partition, queries: item.queries.slice(0, done) });
      if (done < item.queries.length) {
        answer.faults.push({ partition: item.partition, ...timeoutCause(request) });
        return answer.failRest(i + 1, timeoutCause(request));
      }
    }
    return answer.toResponse();
  }

  /** `promise`'s value, its error, or undefined when the request's deadline passes first. */
  private async guard<T>(request: ProcessorRequest, promise: Promise<T>): Promise<T | Error | undefined> {
    try {
      const value = await beforeDeadline(promise, request.deadline, this.now);
      return value === DEADLINE_PASSED ? undefined : value;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /**
   * Runs `item`'s queries on one partition, a slice of `QUERIES_PER_SCAN` at a time
   * (`searchBatch` reads the partition's codes once per slice for all its queries), until the
   * request's deadline passes. Returns how many ran.
   */
  private searchItem(
    cached: CachedPartition,
    item: WorkItem,
    request: ProcessorRequest,
    vectors: Array<{ vector: Float32Array; reduced: Float32Array }>,
    filters: Array<FilterAst | undefined>,
    hits: WireHit[][],
  ): number {
    const { loaded, searcher } = cached;
    const excludeRows = item.exclude === undefined ? undefined : Uint32Array.from(item.exclude);
    for (let start = 0; start < item.queries.length; start += QUERIES_PER_SCAN) {
      if (this.now() >= request.deadline) return start;
      const slice = item.queries.slice(start, start + QUERIES_PER_SCAN);
      const results = searcher.searchBatch(
        slice.map((q, i) => {
          const filter = filters[q];
          const encoded = item.candidates?.[start + i];
          return {
            vector: vectors[q]!.vector,
            reduced: vectors[q]!.reduced,
            topK: request.queries[q]!.topK,
            ...(filter === undefined ? {} : { filter }),
            ...(encoded === undefined || encoded === null ? {} : { candidateBitmap: decodeBitmap(encoded) }),
            ...(excludeRows === undefined ? {} : { excludeRows }),
          };
        }),
        this.parameters,
      );
      results.forEach((result, i) => {
        const q = slice[i]!;
        const withAttributes =
          request.queries[q]!.includeAttributes === true && loaded.data.attributes !== undefined;
        for (let k = 0; k < result.rows.length; k++) {
          const local = result.rows[k]!;
          const row = result.ids[k]!;
          hits[q]!.push({
            id: loaded.ids === null ? String(row) : loaded.ids[local]!,
            row,
            distance: result.distances[k]!,
            partition: item.partition,
            local,
            ...(withAttributes
              ? { attributes: attributesOfRow(loaded.data.attributes as AttributeColumns, local) }
              : {}),
          });
        }
      });
    }
    return item.queries.length;
  }

  private async manifest(uri: string, version: string): Promise<PinnedManifest & { bytesRead: number }> {
    const key = `${uri}@${version}`;
    const cached = this.manifests.get(key);
    if (cached !== undefined) return { ...cached, bytesRead: 0 };
    const pinned = await this.access.manifest(uri, version);
    for (const [cachedKey] of this.manifests)
      if (cachedKey.startsWith(`${uri}@`)) this.manifests.delete(cachedKey);
    for (const cachedKey of [...this.partitions.keys()])
      if (cachedKey.startsWith(`${uri}@`)) this.partitions.delete(cachedKey);
    this.manifests.set(key, pinned);
    return { ...pinned, bytesRead: pinned.bytesRead };
  }

  private async partition(
    uri: string,
    manifest: PinnedManifest,
    partition: number,
  ): Promise<{ cached: CachedPartition; bytesRead: number }> {
    const key = `${uri}@${manifest.version}#${partition}`;
    const hit = this.partitions.get(key);
    if (hit !== undefined) return { cached: hit, bytesRead: 0 };
    const loaded = await this.access.partition(uri, manifest, partition);
    const cached = { loaded, searcher: new PartitionSearcher(loaded.data) };
    this.partitions.set(key, cached);
    return { cached, bytesRead: loaded.bytesRead };
  }
}

/** The answer of one processor invocation as it accumulates. */
class ProcessorAnswer {
  readonly hits: WireHit[][];
  readonly searched: Array<{ partition: number; queries: number[] }> = [];
  readonly faults: PartitionFault[] = [];
  bytesRead = 0;

  constructor(
    private readonly request: ProcessorRequest,
    private readonly coldStart: boolean,
  ) {
    this.hits = request.queries.map(() => []);
  }

  /** Reports the work items from `from` on as failed with `cause`, and answers. */
  failRest(from: number, cause: FaultCause): TreeResponse {
    for (const item of this.request.work.slice(from))
      this.faults.push({ partition: item.partition, ...cause });
    return this.toResponse();
  }

  toResponse(): TreeResponse {
    const hits = this.hits.map((h, q) => mergeHits([h], this.request.queries[q]!.topK));
    return {
      hits,
      searched: this.searched,
      faults: mergeFaults(this.faults),
      invocations: 1,
      coldStarts: this.coldStart ? 1 : 0,
      bytesRead: this.bytesRead,
    };
  }
}

function timeoutCause(request: ProcessorRequest): FaultCause {
  return {
    reason: 'TIMEOUT',
    message: `the processor stopped at its deadline (${new Date(request.deadline).toISOString()}) before searching it`,
  };
}
