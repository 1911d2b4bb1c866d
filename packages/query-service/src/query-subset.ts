import type { TreeResponse, WireQuery, WorkItem } from '@squash/contracts';

/** Some of a request's queries, renumbered from 0, with the work that uses them. */
export interface QuerySubset {
  readonly queries: WireQuery[];
  readonly work: WorkItem[];
  /** Maps a response over this subset's numbering back to the numbering of `total` queries. */
  expand(response: TreeResponse, total: number): TreeResponse;
}

/**
 * The queries `members` (indices into `queries`, ascending) renumbered 0..members.length-1, and
 * the work items restricted to them (items left with no query are dropped). The one renumbering
 * of the query path: the coordinator uses it to split a batch into payload-sized chunks, tree
 * nodes to send each processor only the queries its partitions run.
 */
export function subsetQueries(
  queries: readonly WireQuery[],
  work: readonly WorkItem[],
  members: readonly number[],
): QuerySubset {
  const local = new Map(members.map((q, i) => [q, i]));
  const subsetWork: WorkItem[] = [];
  for (const item of work) {
    const picks = item.queries.flatMap((q, j) => {
      const l = local.get(q);
      return l === undefined ? [] : [[l, j] as const];
    });
    if (picks.length === 0) continue;
    subsetWork.push({
      partition: item.partition,
      queries: picks.map(([l]) => l),
      ...(item.candidates === undefined ? {} : { candidates: picks.map(([, j]) => item.candidates![j]!) }),
      ...(item.exclude === undefined ? {} : { exclude: item.exclude }),
    });
  }
  return {
    queries: members.map((q) => queries[q]!),
    work: subsetWork,
    expand(response, total) {
      const hits: TreeResponse['hits'] = Array.from({ length: total }, () => []);
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

/** The queries `work` uses, ascending. */
export function queriesUsedBy(work: readonly WorkItem[]): number[] {
  return [...new Set(work.flatMap((item) => item.queries))].sort((a, b) => a - b);
}
