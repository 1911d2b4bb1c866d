import type { AttributeSchema, LeanVecModel, Metric, PartitionData, QuantizedAttributes } from '@squash/core';

/** A manifest the caller pinned: everything a query needs to know about one index version. */
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
  /** The format's own manifest object, passed back to the loaders. */
  readonly raw: unknown;
  readonly bytesRead: number;
}

/** One partition as a processor holds it. */
export interface LoadedPartition {
  readonly data: PartitionData;
  /** String ids of the partition's rows (local order), or null when ids are row numbers. */
  readonly ids: string[] | null;
  readonly bytesRead: number;
}

/** What the coordinator holds per index version: projection and routing data. */
export interface RoutingData {
  readonly leanvec: LeanVecModel;
  readonly centroids: Float32Array;
  readonly radii: Float32Array;
  readonly membership: Uint32Array;
  readonly quantizedAttributes: QuantizedAttributes | undefined;
  readonly bytesRead: number;
}

/**
 * How the query path reads indexes: the port over the index format, so services can be tested
 * with an in-memory index and run against object storage in production.
 */
export interface IndexAccess {
  /** The version `CURRENT` points at. Throws INDEX_NOT_FOUND when there is none. */
  currentVersion(uri: string): Promise<string>;
  manifest(uri: string, version: string): Promise<PinnedManifest>;
  partition(uri: string, manifest: PinnedManifest, partition: number): Promise<LoadedPartition>;
  routing(uri: string, manifest: PinnedManifest): Promise<RoutingData>;
}
