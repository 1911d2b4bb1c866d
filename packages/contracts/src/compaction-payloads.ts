/**
 * Payloads of the compactor function (`functions/compactor`). A write past the tail threshold (or
 * `squash compact`) invokes it asynchronously with `CompactRequest`; the compaction then invokes
 * the same function synchronously once per affected partition with `CompactPartitionRequest`, and
 * publishes when every partition has answered.
 */

/** Fold the write log of one index into a new version. */
export interface CompactRequest {
  readonly kind: 'compact';
  /** Store URI of the index's data (its `CURRENT`, `versions/`, `log/`): `<root>/<index>`. */
  readonly indexUri: string;
  /** The index's name (its catalog definition is `<root>/_indexes/<index>.json`). */
  readonly index: string;
  /** `'full'` forces a full rebuild. @default 'auto' */
  readonly mode?: 'auto' | 'full';
}

/** Rebuild one partition of an incremental compaction and write its objects. */
export interface CompactPartitionRequest {
  readonly kind: 'partition';
  readonly indexUri: string;
  readonly index: string;
  readonly task: CompactionPartitionTask;
}

export type CompactorRequest = CompactRequest | CompactPartitionRequest;

/** One partition's work; see `PartitionTask` in `@squash/compaction`. */
export interface CompactionPartitionTask {
  readonly baseVersion: string;
  readonly version: string;
  readonly partitionId: number;
  readonly keepLocal: readonly number[];
  readonly keepRowIds: readonly number[];
  readonly add: ReadonlyArray<{
    readonly rowId: number;
    readonly id: string;
    /** base64 of little-endian float32. */
    readonly vector: string;
    readonly attributes: Readonly<Record<string, string | number | boolean | null>>;
    readonly metadata?: Record<string, unknown>;
  }>;
  readonly maxBitsPerDim: number;
}

/** What a partition invocation returns: the partition's manifest entry (objects already written). */
export interface CompactPartitionResponse {
  readonly entry: { readonly id: number; readonly rows: number } & Record<string, unknown>;
}

/** What a compaction reports (the `squash compact --json` output and the function's answer). */
export interface CompactionReportWire {
  readonly index: string;
  /** `none`: nothing to fold, or fewer live rows than the build threshold. */
  readonly mode: 'none' | 'incremental' | 'full';
  readonly reason: string;
  /** The version folded into (`undefined`: none yet). */
  readonly baseVersion: string | undefined;
  /** The version published (`undefined` when mode is `none`). */
  readonly version: string | undefined;
  /** Newest log sequence the current version now folds in. */
  readonly logSequence: number;
  readonly entriesFolded: number;
  readonly rowsBefore: number;
  readonly tailUpserts: number;
  readonly tailDeletes: number;
  readonly rowsAfter: number;
  readonly partitions: number;
  readonly partitionsRewritten: number;
  /** Surviving rows renumbered to keep row numbers dense (incremental only). */
  readonly rowsMoved: number;
  readonly logEntriesDeleted: number;
  readonly ms: number;
}

/** Handler module of the compactor, relative to the repository root (`HANDLER_ENTRIES.compactor`). */
export const COMPACTOR_HANDLER_ENTRY = 'functions/compactor/handler.ts';
