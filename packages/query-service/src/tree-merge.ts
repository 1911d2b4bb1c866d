import type { TreeResponse, WireHit } from '@squash/contracts';
import { mergeTopK } from '@squash/core';
import { Usage } from './usage.ts';

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
 * Merges responses over the same queries (children of a tree node, payload chunks, routing
 * rounds): per query the top-k by the engine's order (`mergeTopK`), partitions searched
 * concatenated, failed partitions as a sorted set, counters summed (`Usage`).
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
    ...Usage.sum(responses).toJSON(),
  };
}

/** The `topK` best hits of `lists` (see `mergeTopK`). */
export function mergeHits(lists: readonly (readonly WireHit[])[], topK: number): WireHit[] {
  return mergeTopK(lists, topK);
}
