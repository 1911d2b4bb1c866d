import type { RowLocation } from '@squash/index-format';

/**
 * Per partition, the local rows (ascending) of the base rows whose ids the log tail masks
 * (replaced or deleted): what each work item sends its processor as `exclude`. Ids the base does
 * not hold (rows new in the tail) mask nothing.
 */
export function maskedRows(
  masked: ReadonlySet<string>,
  locations: ReadonlyMap<string, RowLocation>,
): Map<number, number[]> {
  const byPartition = new Map<number, number[]>();
  for (const id of masked) {
    const at = locations.get(id);
    if (at === undefined) continue;
    const rows = byPartition.get(at.partition);
    if (rows === undefined) byPartition.set(at.partition, [at.row]);
    else rows.push(at.row);
  }
  for (const rows of byPartition.values()) rows.sort((a, b) => a - b);
  return byPartition;
}

/** How many base rows the masked ids hide (the live count is base + tail rows - this). */
export function maskedCount(
  masked: ReadonlySet<string>,
  locations: ReadonlyMap<string, RowLocation>,
): number {
  let n = 0;
  for (const id of masked) if (locations.has(id)) n++;
  return n;
}
