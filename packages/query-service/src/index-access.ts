import type { AttributeSchema, Metric } from '@squash/core';
import type {
  IndexManifest,
  LoadedPartition,
  LoadedRouting,
  LogEntry,
  RowLocation,
} from '@squash/index-format';

export type { LoadedPartition } from '@squash/index-format';

/**
 * A manifest the caller pinned: the index format's manifest plus the derived fields the query
 * path reads on every request.
 */
export interface PinnedManifest {
  readonly version: string;
  readonly name: string;
  readonly metric: Metric;
  readonly dim: number;
  readonly reducedDim: number;
  readonly count: number;
  readonly partitionCount: number;
  readonly partitionSizes: Uint32Array;
  readonly schema: AttributeSchema;
  readonly createdAt: string;
  /** The format's manifest, passed back to the loaders. */
  readonly manifest: IndexManifest;
  readonly bytesRead: number;
}

/** What the coordinator holds per index version: projection and routing data. */
export type RoutingData = LoadedRouting;

/**
 * How the query path reads indexes: the port over the index format, so services can be tested
 * against an in-memory store and run against object storage in production.
 */
export interface IndexAccess {
  /** The version `CURRENT` points at. Throws INDEX_NOT_FOUND when there is none. */
  currentVersion(uri: string): Promise<string>;
  manifest(uri: string, version: string): Promise<PinnedManifest>;
  partition(uri: string, manifest: PinnedManifest, partition: number): Promise<LoadedPartition>;
  routing(uri: string, manifest: PinnedManifest): Promise<RoutingData>;
  /** The version `CURRENT` points at, or undefined when none was published yet (a new index). */
  tryCurrentVersion(uri: string): Promise<string | undefined>;
  /** The write-log entries above `afterSequence`, in sequence order (`readLog`). */
  logAfter(uri: string, afterSequence: number): Promise<LogEntry[]>;
  /** Row id -> (partition, local row) of a version (`readIdLocations`). */
  idLocations(uri: string, manifest: PinnedManifest): Promise<Map<string, RowLocation>>;
  /** Full-precision rows of one partition by local row (`readVectorRows`), rows x dim floats. */
  vectorRows(
    uri: string,
    manifest: PinnedManifest,
    partition: number,
    rows: readonly number[],
  ): Promise<Float32Array>;
  /** Metadata of rows of one partition by local row (`readRowMetadata`), undefined for none. */
  rowMetadata(
    uri: string,
    manifest: PinnedManifest,
    partition: number,
    rows: readonly number[],
  ): Promise<Array<Record<string, unknown> | undefined>>;
}
