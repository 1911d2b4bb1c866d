import type { PartitionFault } from './http-api.ts';

/**
 * Payloads between the functions of the query path: coordinator -> fan-out tree nodes ->
 * processors. JSON, each under `MAX_SYNC_PAYLOAD_BYTES` (the coordinator splits work that would
 * not fit).
 */

/** One query as the tree carries it: projected once by the coordinator. */
export interface WireQuery {
  /** Full-precision query vector (dimension D), for the exact re-rank. */
  readonly vector: number[];
  /** LeanVec-projected query (dimension d), for the code-level stages. */
  readonly reduced: number[];
  readonly topK: number;
  /** The JSON filter, already validated by the coordinator against the index schema. */
  readonly filter?: unknown;
  /** Whether matches carry their attribute values. */
  readonly includeAttributes?: boolean;
}

/** The queries to run on one partition. */
export interface WorkItem {
  readonly partition: number;
  /** Indices into the request's `queries`. */
  readonly queries: number[];
  /**
   * Per entry of `queries`: base64 of the candidate bitmap over the partition's local rows (bit
   * i = local row i may match the filter), computed on quantized codes by the coordinator; null
   * when the query has no filter.
   */
  readonly candidates?: Array<string | null>;
  /**
   * Local rows of the partition that no query of this item may return, ascending: base rows the
   * index's write log replaced or deleted since the pinned version. Omitted: none.
   */
  readonly exclude?: number[];
}

/** Work for one processor function: the partitions it serves. */
export interface ProcessorUnit {
  readonly functionName: string;
  readonly work: WorkItem[];
}

interface TreeRequestBase {
  readonly requestId: string;
  readonly index: string;
  /** The index version the coordinator pinned; processors load exactly this version. */
  readonly version: string;
  /** Store URI of the index (so processors need no index table of their own). */
  readonly indexUri: string;
  readonly queries: WireQuery[];
  /** Hops from the coordinator (the coordinator's children are at depth 1). */
  readonly depth: number;
  /**
   * Epoch milliseconds by which the callee must have answered (its caller stops waiting half a
   * margin later). Processors stop searching once it has passed and report the rest as
   * `TIMEOUT`; tree nodes give their children this deadline minus `deadlineMarginMs`.
   */
  readonly deadline: number;
}

/** Event of a processor invocation. */
export interface ProcessorRequest extends TreeRequestBase {
  readonly kind: 'processor';
  readonly work: WorkItem[];
}

/** Event of a fan-out tree node: it invokes up to `branching` children. */
export interface FanoutRequest extends TreeRequestBase {
  readonly kind: 'fanout';
  readonly units: ProcessorUnit[];
  readonly branching: number;
  readonly fanoutFunction: string;
  /** Longest one attempt at a child may take (`FUNCTION_SETTINGS.invokeTimeoutMs`). */
  readonly invokeTimeoutMs: number;
  /** Time each level keeps for itself (`FUNCTION_SETTINGS.deadlineMarginMs`). */
  readonly deadlineMarginMs: number;
}

export interface WireHit {
  readonly id: string;
  /** Global row id. */
  readonly row: number;
  readonly distance: number;
  readonly attributes?: Record<string, string | number | boolean | null>;
  /**
   * Partition and local row of a base row (set by processors), so the coordinator can read the
   * row's vector or metadata after the final merge. Absent on rows of the write log's tail.
   */
  readonly partition?: number;
  readonly local?: number;
}

/** What a processor or a tree node returns: per query, the merged top-k of everything below it. */
export interface TreeResponse {
  /** Per query (same order as the request's `queries`), nearest first, at most topK. */
  readonly hits: WireHit[][];
  /** Partitions searched, with the queries that ran on them. */
  readonly searched: Array<{ readonly partition: number; readonly queries: number[] }>;
  /**
   * Partitions that could not be searched (after one retry where the budget allowed), one entry
   * per partition with the reason. A partition can be both in `searched` (for the queries that
   * ran before the deadline) and here (for the rest).
   */
  readonly faults: PartitionFault[];
  readonly invocations: number;
  readonly coldStarts: number;
  readonly bytesRead: number;
}
