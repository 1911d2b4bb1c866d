import type { ExactIndex } from '@squash/core';
import type { EngineDataset, Workload } from './workloads.ts';

/**
 * Recall@k with ties counted (the ann-benchmarks rule): a returned row counts as a hit when its
 * exact distance is at most the k-th true distance (plus a relative 1e-5 for float rounding), or
 * when it is one of the true top k.
 */
export function tiedRecall(
  truth: { ids: number[]; distances: number[] },
  got: { ids: number[]; distances: number[] },
  k: number,
): number {
  const expected = Math.min(k, truth.ids.length);
  if (expected === 0) return 1;
  const kth = truth.distances[expected - 1]!;
  const slack = Math.abs(kth) * 1e-5 + 1e-7;
  const truthIds = new Set(truth.ids.slice(0, expected));
  let hits = 0;
  for (let j = 0; j < Math.min(k, got.ids.length); j++) {
    if (truthIds.has(got.ids[j]!) || got.distances[j]! <= kth + slack) hits++;
  }
  return Math.min(hits, expected) / expected;
}

/** Ground truth of every (query, workload) pair by brute force. */
export function groundTruth(
  exact: ExactIndex,
  dataset: EngineDataset,
  workload: Workload,
  k: number,
): Array<{ ids: number[]; distances: number[] }> {
  const out = [];
  for (let q = 0; q < dataset.nq; q++) {
    const query = dataset.queries.subarray(q * dataset.dim, (q + 1) * dataset.dim);
    out.push(exact.search(query, { topK: k, filter: workload.filterFor(q) }));
  }
  return out;
}
