import { MAX_SYNC_PAYLOAD_BYTES, type WireQuery, type WorkItem } from '@squash/contracts';
import { type QuerySubset, subsetQueries } from './query-subset.ts';

/** A share of a batch small enough for one synchronous payload, with its query numbering. */
export type QueryChunk = QuerySubset;

/** Room left under the 6 MB limit for envelope fields and per-level overhead. */
export const PAYLOAD_BUDGET_BYTES = Math.floor(MAX_SYNC_PAYLOAD_BYTES * 0.8);

/**
 * Splits a batch into chunks whose request payload (queries plus their work and candidate
 * bitmaps) stays under `budgetBytes`, so no invocation in the tree exceeds the synchronous
 * payload limit. Each query goes whole into one chunk; a single query larger than the budget
 * still gets a chunk of its own (the invoke then fails loudly rather than silently).
 */
export function chunkQueries(
  queries: WireQuery[],
  work: WorkItem[],
  budgetBytes = PAYLOAD_BUDGET_BYTES,
): QueryChunk[] {
  const sizes = queries.map((q) => JSON.stringify(q).length + 16);
  work.forEach((item) => {
    item.queries.forEach((q, j) => {
      sizes[q]! += 12 + (item.candidates?.[j]?.length ?? 4);
    });
  });
  const groups: number[][] = [];
  let current: number[] = [];
  let used = 0;
  for (let q = 0; q < queries.length; q++) {
    if (current.length > 0 && used + sizes[q]! > budgetBytes) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(q);
    used += sizes[q]!;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((members) => subsetQueries(queries, work, members));
}
