import type { CandidateLists } from './candidate-lists.ts';
import type { CentroidDistances } from './centroid-distances.ts';
import type { PartitionSizeBounds } from './partition-size-bounds.ts';
import { sortDescendingStable } from './sort-descending.ts';

/** A complete assignment and the partition sizes it implies. */
export interface AssignmentState {
  readonly assignments: Uint32Array;
  /** Squared distance (float32) of each row to its assigned centroid. */
  readonly assignedDistances: Float32Array;
  readonly sizes: Uint32Array;
}

/**
 * Capacity-constrained greedy assignment ordered by regret.
 *
 * Rows are taken in descending regret (distance to the second-nearest centroid minus distance
 * to the nearest; ties to the lower row), so the rows that lose most by not getting their first
 * choice choose first, and the rows left for last are those nearly equidistant between two
 * centroids, for which a full partition costs least. Each row takes its nearest centroid that
 * still has room under `bounds.max`.
 *
 * Lower bounds are kept by reservation: `deficit` counts rows still owed to partitions below
 * `bounds.min`. While more rows remain than are owed, a row may go anywhere with room; once the
 * two are equal, every remaining row goes to its nearest under-filled partition. Because
 * P * min <= n <= P * max, this always ends with every size in bounds.
 *
 * When none of a row's candidates qualifies, its distances to all centroids are measured (one
 * row, every centroid) and the nearest qualifying one is taken.
 */
export function greedyAssignmentImpl(
  data: Float32Array,
  n: number,
  measure: CentroidDistances,
  lists: CandidateLists,
  bounds: PartitionSizeBounds,
): AssignmentState {
  const { perRow, ids, distances } = lists;
  const partitions = measure.partitions;
  const assignments = new Uint32Array(n);
  const assignedDistances = new Float32Array(n);
  const sizes = new Uint32Array(partitions);
  const scratch = new Float32Array(partitions);
  let deficit = bounds.min * partitions;
  let remaining = n;
  for (const row of regretOrder(n, lists)) {
    const mustFill = remaining === deficit;
    const limit = mustFill ? bounds.min : bounds.max;
    let chosen = -1;
    let chosenDistance = 0;
    for (let k = 0; k < perRow; k++) {
      const c = ids[row * perRow + k]!;
      if (sizes[c]! < limit) {
        chosen = c;
        chosenDistance = distances[row * perRow + k]!;
        break;
      }
    }
    if (chosen < 0) {
      measure.blockDistances(data, row, 1, scratch);
      chosen = nearestWithRoom(scratch, sizes, limit);
      chosenDistance = scratch[chosen]!;
    }
    if (sizes[chosen]! < bounds.min) deficit--;
    sizes[chosen]!++;
    remaining--;
    assignments[row] = chosen;
    assignedDistances[row] = chosenDistance;
  }
  return { assignments, assignedDistances, sizes };
}

/** Row ids by descending regret, ties to the lower row. */
function regretOrder(n: number, lists: CandidateLists): Uint32Array {
  const { perRow, distances } = lists;
  const regret = new Float32Array(n);
  if (perRow > 1) {
    for (let i = 0; i < n; i++) regret[i] = distances[i * perRow + 1]! - distances[i * perRow]!;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return sortDescendingStable(order, regret);
}

/** Nearest centroid with size below `limit` (ties to the lower id). Some centroid qualifies. */
function nearestWithRoom(distances: Float32Array, sizes: Uint32Array, limit: number): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < sizes.length; c++) {
    if (sizes[c]! < limit && (best < 0 || distances[c]! < bestDistance)) {
      best = c;
      bestDistance = distances[c]!;
    }
  }
  return best;
}
