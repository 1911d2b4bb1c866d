import { MAX_SYNC_PAYLOAD_BYTES, type TreeResponse, type WireQuery, type WorkItem } from '@squash/contracts';

/** A share of a batch small enough for one synchronous payload, with its query numbering. */
export interface QueryChunk {
  readonly queries: WireQuery[];
  readonly work: WorkItem[];
  /** Maps a response over this chunk's queries back to the whole batch's numbering. */
  remap(response: TreeResponse, totalQueries: number): TreeResponse;
}

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
  return groups.map((members) => chunkOf(queries, work, members));
}

function chunkOf(queries: WireQuery[], work: WorkItem[], members: number[]): QueryChunk {
  const local = new Map(members.map((q, i) => [q, i]));
  const chunkWork: WorkItem[] = [];
  for (const item of work) {
    const picks = item.queries.map((q, j) => [local.get(q), j] as const).filter(([l]) => l !== undefined);
    if (picks.length === 0) continue;
    chunkWork.push({
      partition: item.partition,
      queries: picks.map(([l]) => l!),
      ...(item.candidates === undefined ? {} : { candidates: picks.map(([, j]) => item.candidates![j]!) }),
    });
  }
  return {
    queries: members.map((q) => queries[q]!),
    work: chunkWork,
    remap(response, totalQueries) {
      const hits = Array.from({ length: totalQueries }, () => [] as TreeResponse['hits'][number]);
      members.forEach((q, i) => {
        hits[q] = response.hits[i] ?? [];
      });
      return {
        ...response,
        hits,
        searched: response.searched.map((s) => ({
          partition: s.partition,
          queries: s.queries.map((l) => members[l]!),
        })),
      };
    },
  };
}
