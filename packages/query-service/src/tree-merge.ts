import type { PartitionFault, TreeResponse, WireHit } from '@squash/contracts';
import { mergeTopK } from '@squash/core';
import { Usage } from './usage.ts';

/** An empty response for `queryCount` queries. */
export function emptyResponse(queryCount: number): TreeResponse {
  return {
    hits: Array.from({ length: queryCount }, () => []),
    searched: [],
    faults: [],
    invocations: 0,
    coldStarts: 0,
    bytesRead: 0,
  };
}

/**
 * Merges responses over the same queries (children of a tree node, payload chunks, routing
 * rounds): per query the top-k by the engine's order (`mergeTopK`), partitions searched
 * concatenated, faults one per partition (the first reported) sorted by partition, counters
 * summed (`Usage`).
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
    faults: mergeFaults(responses.flatMap((r) => r.faults)),
    ...Usage.sum(responses).toJSON(),
  };
}

/** The `topK` best hits of `lists` (see `mergeTopK`). */
export function mergeHits(lists: readonly (readonly WireHit[])[], topK: number): WireHit[] {
  return mergeTopK(lists, topK);
}

/** One fault per partition (the first of `faults` for it), ascending by partition. */
export function mergeFaults(faults: readonly PartitionFault[]): PartitionFault[] {
  const byPartition = new Map<number, PartitionFault>();
  for (const fault of faults) if (!byPartition.has(fault.partition)) byPartition.set(fault.partition, fault);
  return [...byPartition.values()].sort((a, b) => a.partition - b.partition);
}
