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

export interface QueryResponse {
  readonly matches: QueryMatch[];
  /** False when a partition could not be searched; `missingPartitions` names them. */
  readonly complete: boolean;
  readonly missingPartitions?: number[];
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

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId?: string };
}

export const MAX_TOP_K = 1000;
export const MAX_BATCH_QUERIES = 1000;
