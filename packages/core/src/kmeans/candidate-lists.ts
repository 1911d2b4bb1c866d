import type { CentroidDistances } from './centroid-distances.ts';

/** Rows per block of the distance scan; the scratch is BLOCK_ROWS x partitions float32. */
const BLOCK_ROWS = 256;

/**
 * Each row's `perRow` nearest centroids, nearest first (equal distances: lower centroid id
 * first). Distances are the float32 squared L2 values of one `CentroidDistances`, which every
 * later assignment step compares.
 */
export interface CandidateLists {
  readonly perRow: number;
  /** n x perRow centroid ids. */
  readonly ids: Uint32Array;
  /** n x perRow squared distances, ascending within a row. */
  readonly distances: Float32Array;
}

/**
 * Measures every row against every centroid and keeps the `perRow` nearest (an insertion into a
 * sorted run of length perRow: cheap, since most centroids fail the first comparison against
 * the current worst). Memory: n x perRow x 8 bytes.
 */
export function candidateListsImpl(
  data: Float32Array,
  n: number,
  measure: CentroidDistances,
  perRow: number,
): CandidateLists {
  const partitions = measure.partitions;
  const ids = new Uint32Array(n * perRow);
  const distances = new Float32Array(n * perRow);
  const scratch = new Float32Array(BLOCK_ROWS * partitions);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - start);
    measure.blockDistances(data, start, rows, scratch);
    for (let r = 0; r < rows; r++) {
      keepNearest(scratch, r * partitions, partitions, ids, distances, (start + r) * perRow, perRow);
    }
  }
  return { perRow, ids, distances };
}

/** Writes the `perRow` smallest of `row[0..count)` into ids/distances at `outOffset`. */
function keepNearest(
  row: Float32Array,
  rowOffset: number,
  count: number,
  ids: Uint32Array,
  distances: Float32Array,
  outOffset: number,
  perRow: number,
): void {
  let kept = 0;
  let worst = Number.POSITIVE_INFINITY;
  for (let c = 0; c < count; c++) {
    const d = row[rowOffset + c]!;
    // Strict comparisons: a later (higher) id never displaces an equal distance.
    if (d >= worst) continue;
    let slot = kept < perRow ? kept++ : perRow - 1;
    while (slot > 0 && distances[outOffset + slot - 1]! > d) {
      distances[outOffset + slot] = distances[outOffset + slot - 1]!;
      ids[outOffset + slot] = ids[outOffset + slot - 1]!;
      slot--;
    }
    distances[outOffset + slot] = d;
    ids[outOffset + slot] = c;
    if (kept === perRow) worst = distances[outOffset + perRow - 1]!;
  }
}
