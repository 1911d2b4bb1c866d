import { MAX_SYNC_PAYLOAD_BYTES, type WireQuery, type WorkItem } from '@squash/contracts';
import { type QuerySubset, subsetQueries } from './query-subset.ts';

/** A share of a batch small enough for one synchronous payload, with its query numbering. */
export type QueryChunk = QuerySubset;

/** Share of the payload limit a chunk's request or answer may fill (the rest: envelope, faults). */
export const PAYLOAD_BUDGET_SHARE = 0.8;

/** Room left under the 6 MB limit for envelope fields and per-level overhead. */
export const PAYLOAD_BUDGET_BYTES = Math.floor(MAX_SYNC_PAYLOAD_BYTES * PAYLOAD_BUDGET_SHARE);

/**
 * Splits a batch into chunks whose request payload (queries plus their work and candidate
 * bitmaps) and whose answer (`answerBytes[q]` per query: topK times the row bound, see
 * `rowBytes`, plus the `searched` lists) both stay under `budgetBytes`, so no invocation in the
 * tree exceeds the synchronous payload limit either way: every node below a chunk answers at most
 * topK rows per query of the chunk. Each query goes whole into one chunk; a single query larger
 * than the budget still gets a chunk of its own (tree nodes then halve nothing further, and a
 * failure is reported as a fault rather than hidden).
 */
export function chunkQueries(
  queries: WireQuery[],
  work: WorkItem[],
  budgetBytes = PAYLOAD_BUDGET_BYTES,
  answerBytes: readonly number[] = [],
): QueryChunk[] {
  const sizes = queries.map((q) => JSON.stringify(q).length + 16);
  const answers = queries.map((_, q) => answerBytes[q] ?? 0);
  work.forEach((item) => {
    // An item's exclusion list travels with every chunk holding one of its queries: counted
    // once per query, an upper bound.
    const excludeBytes = item.exclude === undefined ? 0 : JSON.stringify(item.exclude).length + 12;
    item.queries.forEach((q, j) => {
      sizes[q]! += 12 + (item.candidates?.[j]?.length ?? 4) + excludeBytes;
      answers[q]! += 12;
    });
  });
  const groups: number[][] = [];
  let current: number[] = [];
  let used = 0;
  let answered = 0;
  for (let q = 0; q < queries.length; q++) {
    if (current.length > 0 && (used + sizes[q]! > budgetBytes || answered + answers[q]! > budgetBytes)) {
      groups.push(current);
      current = [];
      used = 0;
      answered = 0;
    }
    current.push(q);
    used += sizes[q]!;
    answered += answers[q]!;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((members) => subsetQueries(queries, work, members));
}
