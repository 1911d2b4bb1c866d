import type { AttributeSchema, Metric } from '@squash/core';

/**
 * The manifest of one index version (`versions/<version>/manifest.json`): everything a reader
 * needs to know before fetching an object, and the size and CRC-32C of every object, so a reader
 * pinned to a manifest never reads a mix of two builds and detects any damaged object. Field by
 * field description: docs/index-format.md.
 */

export const INDEX_FORMAT = 'squash.index';
export const INDEX_FORMAT_VERSION = 1;

/** A stored object: its key relative to the version's folder, its size and its CRC-32C. */
export interface ObjectRef {
  /** Relative to `versions/<version>/`, e.g. `partitions/00003/vectors.bin`. */
  readonly key: string;
  readonly bytes: number;
  /** CRC-32C of the whole object, 8 lowercase hex digits (`crc32cHex`). */
  readonly crc32c: string;
}

/** How result ids are formed: the decimal global row index, or strings stored per partition. */
export type IdsKind = 'row-number' | 'strings';

/** A double that may be non-finite: JSON has no NaN or Infinity, so those are written as strings. */
export type JsonDouble = number | 'NaN' | 'Infinity' | '-Infinity';

/** The scalar fields of a partition's `OsqQuantizer`; its arrays are in the quantizer object. */
export interface QuantizerScalars {
  readonly metric: Metric;
  /** d, the reduced dimension. */
  readonly dim: number;
  /** Sum of the per-dimension bits. */
  readonly totalBits: number;
  /** Code bytes per row (= number of segments of the OSQ codes). */
  readonly bytesPerVector: number;
  /** Cells over all dimensions (length of `representatives`). */
  readonly cellCount: number;
  readonly binaryDims: number;
  readonly binaryWordsPerVector: number;
  readonly meanSquaredError: JsonDouble;
}

export interface PartitionObjects {
  /** rows x D float32, one row one contiguous byte range. */
  readonly vectors: ObjectRef;
  readonly osqCodes: ObjectRef;
  readonly binaryCodes: ObjectRef;
  readonly rowIds: ObjectRef;
  readonly quantizer: ObjectRef;
  /** Present when the index has attributes. */
  readonly attributes?: ObjectRef;
  /** Present when `idsKind` is `strings`. */
  readonly ids?: ObjectRef;
  /**
   * Present when some row of the partition has metadata (`metadata-object.ts`): JSON objects that
   * are stored and returned, never filtered on, read only for the rows a query returns.
   */
  readonly metadata?: ObjectRef;
}

export interface PartitionEntry {
  /** Position in the partition list, 0..partitions-1. */
  readonly id: number;
  readonly rows: number;
  /** The partition's centroid in the reduced space (also in `routing.centroids`). */
  readonly centroid: readonly number[];
  /** Ball radius around the centroid (also in `routing.radii`). */
  readonly radius: number;
  readonly quantizer: QuantizerScalars;
  readonly objects: PartitionObjects;
}

/** One attribute, in the order its blocks appear in the attribute objects. */
export type AttributeEntry =
  | {
      readonly name: string;
      readonly type: 'number' | 'integer';
      readonly cellCount: number;
      readonly missingCode: number;
      readonly exact: boolean;
    }
  | {
      readonly name: string;
      readonly type: 'category';
      /** Sorted distinct strings; the code of a value is its position. */
      readonly dictionary: readonly string[];
      /** Bits of the quantized code: 8 up to 255 strings, else 16. */
      readonly codeBits: 8 | 16;
    }
  | { readonly name: string; readonly type: 'boolean' };

export interface AttributesManifest {
  readonly schema: AttributeSchema;
  readonly columns: readonly AttributeEntry[];
}

export interface RoutingObjects {
  readonly centroids: ObjectRef;
  readonly radii: ObjectRef;
  readonly membership: ObjectRef;
  /** Present when the index has attributes. */
  readonly quantizedAttributes?: ObjectRef;
}

export interface BuildParameters {
  readonly partitions: number;
  readonly leanvecDim: number;
  readonly bitsPerDim: number;
  readonly seed: number;
}

export interface IndexManifest {
  readonly format: typeof INDEX_FORMAT;
  readonly formatVersion: typeof INDEX_FORMAT_VERSION;
  readonly name: string;
  readonly version: string;
  /** ISO 8601 UTC time of the publish. */
  readonly createdAt: string;
  readonly metric: Metric;
  /** D: dimension of the indexed vectors and of queries. */
  readonly dim: number;
  /** d: the LeanVec output dimension. */
  readonly reducedDim: number;
  readonly count: number;
  /**
   * Sequence of the newest write-log entry folded into this version (`write-log.ts`): queries
   * merge the log entries above it. 0 for a version built from files (`squash build`).
   */
  readonly logSequence: number;
  readonly idsKind: IdsKind;
  readonly buildParameters: BuildParameters;
  /** The LeanVec model as `leanVecToJSON` JSON. */
  readonly leanvec: ObjectRef;
  readonly routing: RoutingObjects;
  /** `null` when the index has no attributes. */
  readonly attributes: AttributesManifest | null;
  readonly partitions: readonly PartitionEntry[];
  /** Sum of the sizes of every object listed (the manifest itself excluded). */
  readonly totalBytes: number;
}

/** Every object a manifest lists, routing objects first, then partitions in order. */
export function manifestObjects(manifest: IndexManifest): ObjectRef[] {
  const { routing } = manifest;
  const refs: ObjectRef[] = [manifest.leanvec, routing.centroids, routing.radii, routing.membership];
  if (routing.quantizedAttributes !== undefined) refs.push(routing.quantizedAttributes);
  for (const partition of manifest.partitions) refs.push(...partitionObjects(partition));
  return refs;
}

/** The objects of one partition, in a fixed order. */
export function partitionObjects(partition: PartitionEntry): ObjectRef[] {
  const { objects } = partition;
  const refs = [objects.vectors, objects.osqCodes, objects.binaryCodes, objects.rowIds, objects.quantizer];
  if (objects.attributes !== undefined) refs.push(objects.attributes);
  if (objects.ids !== undefined) refs.push(objects.ids);
  if (objects.metadata !== undefined) refs.push(objects.metadata);
  return refs;
}

export function toJsonDouble(value: number): JsonDouble {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function fromJsonDouble(value: JsonDouble): number {
  return typeof value === 'number' ? value : Number(value);
}
