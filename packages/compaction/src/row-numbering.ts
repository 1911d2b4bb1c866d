/**
 * New global row numbers after a compaction. The format needs rows 0..count-1, each in exactly
 * one partition, ascending within a partition; an incremental compaction wants to leave as many
 * partitions untouched as it can, so surviving base rows keep their numbers wherever possible:
 *
 * - the numbers of removed base rows (deleted or replaced) below the new count are holes, as are
 *   the numbers count..newCount-1 when the index grows;
 * - holes are filled in ascending order, first by the new rows (in the order given), then by the
 *   surviving rows numbered newCount or above (only when the index shrinks), highest last.
 *
 * So a partition is rewritten only when it gains or loses rows, or (on a net shrink of s rows)
 * holds one of the s highest-numbered survivors.
 */
export interface RowNumbering {
  /** New row number of each base row; -1 for a removed row. */
  readonly baseToNew: Int32Array;
  /** New row number of each new row, in the order given. */
  readonly newRows: Uint32Array;
  /** Rows after the compaction. */
  readonly count: number;
  /** Surviving base rows that got a new number. */
  readonly moved: number;
}

/**
 * @param baseCount rows of the base version.
 * @param removed base rows that do not survive (any order, no duplicates).
 * @param added number of new rows.
 */
export function renumberRows(baseCount: number, removed: ReadonlySet<number>, added: number): RowNumbering {
  const count = baseCount - removed.size + added;
  const baseToNew = new Int32Array(baseCount);
  for (let row = 0; row < baseCount; row++) baseToNew[row] = removed.has(row) ? -1 : row;
  const holes = [...removed].filter((row) => row < count).sort((a, b) => a - b);
  for (let row = baseCount; row < count; row++) holes.push(row);
  const newRows = new Uint32Array(added);
  let next = 0;
  for (let k = 0; k < added; k++) newRows[k] = holes[next++]!;
  let moved = 0;
  for (let row = count; row < baseCount; row++) {
    if (baseToNew[row] === -1) continue;
    baseToNew[row] = holes[next++]!;
    moved++;
  }
  return { baseToNew, newRows, count, moved };
}
