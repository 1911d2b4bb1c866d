import type { CandidateLists } from './candidate-lists.ts';
import { EntryBuckets, EntryList } from './entry-buckets.ts';
import type { AssignmentState } from './greedy-assignment.ts';

/**
 * One pass of pairwise swaps. For each ordered pair of partitions (a -> b) in which some row of
 * a has b as a closer candidate ("wants"), the rows of b that list a as a candidate are its
 * "partners". Both lists are taken by descending gain (ties to the lower row) and matched
 * greedily while the summed gain is positive: row i moves a -> b and row j moves b -> a, sizes
 * unchanged. A partner may lose by moving (negative gain) when the pair gains overall. Rows
 * already moved in this pass are skipped, so every gain used is exact.
 *
 * Returns the rows moved (two per swap) and the total distance saved.
 */
export function swapPassImpl(state: AssignmentState, lists: CandidateLists): { moved: number; gain: number } {
  const { assignments, assignedDistances } = state;
  const partitions = state.sizes.length;
  const wantList = collectWants(state, lists);
  if (wantList.length === 0) return { moved: 0, gain: 0 };
  const pairKeys = uniqueSortedKeys(wantList, partitions);
  const slots = new PairSlots(partitions, pairKeys);
  for (let e = 0; e < wantList.length; e++) wantList.keys[e] = slots.get(wantList.keys[e]!);
  const wants = new EntryBuckets(wantList, pairKeys.length);
  const bestWant = new Float64Array(pairKeys.length);
  for (let e = 0; e < wantList.length; e++) {
    const slot = wantList.keys[e]!;
    bestWant[slot] = Math.max(bestWant[slot]!, wantList.gains[e]!);
  }
  const partners = new EntryBuckets(collectPartners(state, lists, slots, bestWant), pairKeys.length);
  let moved = 0;
  let gain = 0;
  for (let slot = 0; slot < pairKeys.length; slot++) {
    const a = Math.floor(pairKeys[slot]! / partitions);
    const b = pairKeys[slot]! - a * partitions;
    const wantOrder = wants.sortedSlot(slot);
    const partnerOrder = partners.sortedSlot(slot);
    let p = 0;
    let q = 0;
    while (p < wantOrder.length && q < partnerOrder.length) {
      const i = wants.rows[wantOrder[p]!]!;
      const j = partners.rows[partnerOrder[q]!]!;
      if (assignments[i] !== a) {
        p++;
      } else if (assignments[j] !== b) {
        q++;
      } else {
        const pairGain = wants.gains[wantOrder[p]!]! + partners.gains[partnerOrder[q]!]!;
        if (pairGain <= 0) break;
        assignedDistances[i] = candidateDistance(lists, i, b);
        assignedDistances[j] = candidateDistance(lists, j, a);
        assignments[i] = b;
        assignments[j] = a;
        moved += 2;
        gain += pairGain;
        p++;
        q++;
      }
    }
  }
  return { moved, gain };
}

/** Entries (from * P + to, row, gain > 0) for every candidate closer than the row's own centroid. */
function collectWants(state: AssignmentState, lists: CandidateLists): EntryList {
  const { assignments, assignedDistances, sizes } = state;
  const { perRow, ids, distances } = lists;
  const list = new EntryList(assignments.length >>> 3);
  for (let row = 0; row < assignments.length; row++) {
    const own = assignments[row]!;
    const ownDistance = assignedDistances[row]!;
    for (let k = 0; k < perRow && distances[row * perRow + k]! < ownDistance; k++) {
      list.push(own * sizes.length + ids[row * perRow + k]!, row, ownDistance - distances[row * perRow + k]!);
    }
  }
  return list;
}

/**
 * Entries (slot of a -> b, row in b, gain of moving to a) for every candidate a of every row,
 * kept only when the pair (a -> b) is wanted and the gain could still be repaid by its best want.
 */
function collectPartners(
  state: AssignmentState,
  lists: CandidateLists,
  slots: PairSlots,
  bestWant: Float64Array,
): EntryList {
  const { assignments, assignedDistances, sizes } = state;
  const { perRow, ids, distances } = lists;
  const list = new EntryList(assignments.length >>> 2);
  for (let row = 0; row < assignments.length; row++) {
    const own = assignments[row]!;
    for (let k = 0; k < perRow; k++) {
      const other = ids[row * perRow + k]!;
      if (other === own) continue;
      const slot = slots.get(other * sizes.length + own);
      if (slot < 0) continue;
      const gain = assignedDistances[row]! - distances[row * perRow + k]!;
      if (gain + bestWant[slot]! > 0) list.push(slot, row, gain);
    }
  }
  return list;
}

/** The distinct keys of `list`, ascending (a bitmap over P x P when small, else a sort). */
function uniqueSortedKeys(list: EntryList, partitions: number): Float64Array {
  if (partitions * partitions <= DENSE_PAIRS_MAX) {
    const seen = new Uint8Array(partitions * partitions);
    let count = 0;
    for (let e = 0; e < list.length; e++) {
      const key = list.keys[e]!;
      if (seen[key] === 0) count++;
      seen[key] = 1;
    }
    const keys = new Float64Array(count);
    count = 0;
    for (let key = 0; key < seen.length; key++) if (seen[key] !== 0) keys[count++] = key;
    return keys;
  }
  const keys = list.keys.slice(0, list.length).sort();
  let write = 0;
  for (let e = 0; e < keys.length; e++) if (e === 0 || keys[e] !== keys[e - 1]) keys[write++] = keys[e]!;
  return keys.slice(0, write);
}

/** Largest P x P for which pair tables are dense arrays (4M entries: P <= 2048). */
const DENSE_PAIRS_MAX = 1 << 22;

/**
 * Slot number of each wanted ordered pair (its rank among the sorted keys), -1 for others: a
 * dense P x P table when that is at most 4M entries (16 MB; P <= 2048), else a Map. The lookup
 * runs for every candidate of every row.
 */
class PairSlots {
  private readonly dense: Int32Array | undefined;
  private readonly sparse: Map<number, number> | undefined;

  constructor(partitions: number, sortedKeys: Float64Array) {
    if (partitions * partitions <= DENSE_PAIRS_MAX) {
      const dense = new Int32Array(partitions * partitions).fill(-1);
      for (let slot = 0; slot < sortedKeys.length; slot++) dense[sortedKeys[slot]!] = slot;
      this.dense = dense;
    } else {
      const sparse = new Map<number, number>();
      for (let slot = 0; slot < sortedKeys.length; slot++) sparse.set(sortedKeys[slot]!, slot);
      this.sparse = sparse;
    }
  }

  get(key: number): number {
    return this.dense !== undefined ? this.dense[key]! : (this.sparse!.get(key) ?? -1);
  }
}

/** Distance from `row` to `centroid`, which must be in the row's candidate list. */
function candidateDistance(lists: CandidateLists, row: number, centroid: number): number {
  const { perRow, ids, distances } = lists;
  let k = 0;
  while (ids[row * perRow + k] !== centroid) k++;
  return distances[row * perRow + k]!;
}
