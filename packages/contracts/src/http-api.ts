/** Wire types of the HTTP API (docs/http-api.md, `GET /openapi.json`). */

/** Body of `POST /v1/indexes/{index}/query`. */
export interface QueryRequest {
  /** The query vector; its length must equal the index's `dim`. Finite numbers only. */
  readonly vector: number[];
  /** Neighbours to return, 1..1000. @default 10 */
  readonly topK?: number;
  /** Filter in the JSON filter language (docs/filters.md). */
  readonly filter?: unknown;
  /** Extra fields per match: `"attributes"` adds the row's attribute values. */
  readonly include?: Array<'attributes'>;
}

export interface QueryMatch {
  readonly id: string;
  /** Distance in the index's metric; lower is closer. */
  readonly distance: number;
  readonly attributes?: Record<string, string | number | boolean | null>;
}

export interface QueryUsage {
  /** Partitions searched. */
  readonly partitions: number;
  /** Function invocations made for this request (tree nodes and processors). */
  readonly invocations: number;
  /** Processor cold starts among them. */
  readonly coldStarts: number;
  /** Bytes of codes, vectors and objects read. */
  readonly bytesRead: number;
  readonly latencyMs: number;
}

/**
 * Why a partition could not be searched for a query:
 * - `TIMEOUT`: the request deadline passed before the partition answered (slow or hung processor,
 *   or no time left for a retry or a second routing round);
 * - `THROTTLED`: the processor function was throttled (concurrency limit), also on the retry;
 * - `CRASHED`: the function failed (process exit, unhandled error, malformed answer);
 * - `UNREACHABLE`: the invocation itself failed (5xx, network, function missing);
 * - `RESPONSE_TOO_LARGE`: the answer of a single query exceeded the invocation limit;
 * - `INDEX_CORRUPT`: a partition object failed its size or checksum check (`key` names it);
 * - `STORAGE_ERROR`: the store failed (permissions, network, a missing object);
 * - `FORBIDDEN`: the function refused the index URI (outside its configured store roots);
 * - `INTERNAL`: anything else (see the function's log for the request id).
 */
export type FaultReason =
  | 'TIMEOUT'
  | 'THROTTLED'
  | 'CRASHED'
  | 'UNREACHABLE'
  | 'RESPONSE_TOO_LARGE'
  | 'INDEX_CORRUPT'
  | 'STORAGE_ERROR'
  | 'FORBIDDEN'
  | 'INTERNAL';

export const FAULT_REASONS: readonly FaultReason[] = [
  'TIMEOUT',
  'THROTTLED',
  'CRASHED',
  'UNREACHABLE',
  'RESPONSE_TOO_LARGE',
  'INDEX_CORRUPT',
  'STORAGE_ERROR',
  'FORBIDDEN',
  'INTERNAL',
];

/** A partition that could not be searched, and why. */
export interface PartitionFault {
  readonly partition: number;
  readonly reason: FaultReason;
  /** For people: what failed, bounded in length. */
  readonly message: string;
  /** The store key of the damaged object (`INDEX_CORRUPT`). */
  readonly key?: string;
}

export interface QueryResponse {
  readonly matches: QueryMatch[];
  /** False when a partition could not be searched; `missingPartitions` and `faults` name them. */
  readonly complete: boolean;
  /** The partitions this query should have searched and could not, ascending. */
  readonly missingPartitions?: number[];
  /** One entry per missing partition, in the same order, with the reason. */
  readonly faults?: PartitionFault[];
  readonly usage: QueryUsage;
}

/** Body of `POST /v1/indexes/{index}/query:batch`: up to 1000 queries, one fan-out. */
export interface BatchQueryRequest {
  readonly queries: QueryRequest[];
}

export interface BatchQueryResponse {
  readonly results: Array<Omit<QueryResponse, 'usage'>>;
  readonly usage: QueryUsage;
}

export interface IndexSummary {
  readonly name: string;
  readonly dim: number;
  readonly metric: 'l2' | 'ip' | 'cosine';
  readonly count: number;
  readonly version: string;
  readonly partitions: number;
  readonly schema: Record<string, { type: string }>;
}

/** Per index: whether the coordinator can load its current version (routing objects included). */
export type IndexHealth =
  | { readonly status: 'ok'; readonly version: string }
  | { readonly status: 'error'; readonly code: string; readonly message: string };

/** Body of `GET /health`: 200 when every index loads, 503 when one cannot. */
export interface HealthResponse {
  readonly status: 'ok' | 'degraded';
  readonly indexes: Readonly<Record<string, IndexHealth>>;
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId?: string };
}

export const MAX_TOP_K = 1000;
export const MAX_BATCH_QUERIES = 1000;
