import type { TreeResponse, WireHit } from '@squash/contracts';

/** An empty response for `queryCount` queries. */
export function emptyResponse(queryCount: number): TreeResponse {
  return {
    hits: Array.from({ length: queryCount }, () => []),
    searched: [],
    failedPartitions: [],
    invocations: 0,
    coldStarts: 0,
    bytesRead: 0,
  };
}

/**
 * Merges children's responses: per query the top-k by distance (ties: lower row first, the
 * engine's rule), partitions searched and failed concatenated, counters summed.
 */
export function mergeResponses(responses: readonly TreeResponse[], topKs: readonly number[]): TreeResponse {
  const hits = topKs.map((topK, q) =>
    mergeHits(
      responses.map((r) => r.hits[q] ?? []),
      topK,
    ),
  );
  return {
    hits,
    searched: responses.flatMap((r) => r.searched),
    failedPartitions: [...new Set(responses.flatMap((r) => r.failedPartitions))].sort((a, b) => a - b),
    invocations: responses.reduce((s, r) => s + r.invocations, 0),
    coldStarts: responses.reduce((s, r) => s + r.coldStarts, 0),
    bytesRead: responses.reduce((s, r) => s + r.bytesRead, 0),
  };
}

export function mergeHits(lists: readonly (readonly WireHit[])[], topK: number): WireHit[] {
  const all = lists.flat();
  all.sort((a, b) => a.distance - b.distance || a.row - b.row);
  const out: WireHit[] = [];
  const seen = new Set<number>();
  for (const hit of all) {
    if (out.length >= topK) break;
    if (seen.has(hit.row)) continue;
    seen.add(hit.row);
    out.push(hit);
  }
  return out;
}
