import type { TailRow } from '@squash/index-format';
import type { BaseRows } from './base-rows.ts';
import type { NewRow } from './compact-partition.ts';
import type { RowNumbering } from './row-numbering.ts';

/** What happens to one partition in an incremental compaction. */
export interface PartitionChange {
  readonly partitionId: number;
  /** Surviving local rows (ascending) and their new global row numbers. */
  readonly keepLocal: number[];
  readonly keepRowIds: number[];
  readonly add: NewRow[];
  /** Rows lost, gained or renumbered: the partition must be rewritten. */
  affected: boolean;
}

/**
 * Splits the compaction by partition: which base rows each keeps (with their new numbers) and
 * which new rows it gains (`assignment[k]` is the partition of `newRows[k]`).
 */
export function planPartitions(
  base: BaseRows,
  numbering: RowNumbering,
  newRows: readonly TailRow[],
  assignment: Uint32Array,
): PartitionChange[] {
  const changes = base.partitions.map((partition, p): PartitionChange => {
    const keepLocal: number[] = [];
    const keepRowIds: number[] = [];
    let affected = false;
    partition.rowIds.forEach((row, j) => {
      const next = numbering.baseToNew[row]!;
      if (next < 0) {
        affected = true;
        return;
      }
      if (next !== row) affected = true;
      keepLocal.push(j);
      keepRowIds.push(next);
    });
    return { partitionId: p, keepLocal, keepRowIds, add: [], affected };
  });
  newRows.forEach((row, k) => {
    const change = changes[assignment[k]!]!;
    change.add.push({
      rowId: numbering.newRows[k]!,
      id: row.id,
      vector: row.vector,
      attributes: row.attributes,
      metadata: row.metadata,
    });
    change.affected = true;
  });
  return changes;
}
