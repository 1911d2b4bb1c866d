import { compare } from './top-k.ts';

/** A result row as the merge sees it: its exact distance and its global row id. */
export interface RankedRow {
  readonly distance: number;
  readonly row: number;
}

/**
 * Merges result lists into the `k` best rows: ascending distance, equal distances broken by the
 * lower row (the same total order as `TopK`), each row at most once (a row reached twice, e.g. by
 * a retried partition, keeps its first occurrence). Lists need not be sorted. This is the one
 * merge of the query path: processors merge their partitions with it, tree nodes their children,
 * the coordinator its rounds and payload chunks. `TopK` is its streaming form for bare numbers.
 */
export function mergeTopK<T extends RankedRow>(lists: readonly (readonly T[])[], k: number): T[] {
  const all = lists.flat();
  all.sort((a, b) => compare(a.distance, a.row, b.distance, b.row));
  const out: T[] = [];
  const seen = new Set<number>();
  for (const hit of all) {
    if (out.length >= k) break;
    if (seen.has(hit.row)) continue;
    seen.add(hit.row);
    out.push(hit);
  }
  return out;
}
