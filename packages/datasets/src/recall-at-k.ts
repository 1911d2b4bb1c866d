/**
 * Recall@k with the ann-benchmarks rule (Aumüller et al., 2020): a returned id is a hit when its
 * exact distance to the query is <= the exact distance of the k-th true neighbour. Counting by
 * distance rather than id equality matters on integer data such as MNIST pixels, where several
 * base vectors can tie at the k-th distance and any of them is a correct answer.
 *
 * Distances are recomputed here in float64 from the float32 vectors (the same way the shared
 * ground truth was made), so the threshold and the candidates are measured identically.
 */
import { cosineFromDot, dotImpl, InvalidArgumentError, l2Impl, type Metric, normImpl } from '@squash/core';

export interface RecallAtKArgs {
  /** n x dim base vectors, row-major. */
  readonly base: Float32Array;
  readonly dim: number;
  readonly metric: Metric;
  /** nq x dim query vectors. */
  readonly queries: Float32Array;
  /** Ids returned for each query, best first; only the first `k` of each list are scored. */
  readonly resultIds: readonly (readonly number[])[];
  /** nq x gtK true neighbour ids, nearest first. */
  readonly groundTruth: Int32Array;
  readonly gtK: number;
  readonly k: number;
}

/**
 * Mean over queries of (hits among the first k returned ids) / k. A list shorter than k scores
 * its missing entries as misses; a repeated id counts once; an out-of-range id is an error.
 */
export function recallAtK(args: RecallAtKArgs): number {
  const { base, dim, metric, queries, resultIds, groundTruth, gtK, k } = args;
  const nq = queries.length / dim;
  const n = base.length / dim;
  if (!Number.isInteger(k) || k < 1 || k > gtK) {
    throw new InvalidArgumentError('k', `k is ${k}; expected an integer from 1 to gtK (${gtK})`);
  }
  if (resultIds.length !== nq) {
    throw new InvalidArgumentError('resultIds', `resultIds has ${resultIds.length} lists; expected ${nq}`);
  }
  if (groundTruth.length < nq * gtK) {
    throw new InvalidArgumentError(
      'groundTruth',
      `groundTruth has ${groundTruth.length} ids; expected ${nq * gtK}`,
    );
  }
  let total = 0;
  for (let q = 0; q < nq; q++) {
    const distance = distanceTo(metric, queries, q * dim, base, dim);
    const threshold = distance(groundTruth[q * gtK + k - 1]!);
    const seen = new Set<number>();
    let hits = 0;
    for (const id of resultIds[q]!.slice(0, k)) {
      if (!Number.isInteger(id) || id < 0 || id >= n) {
        throw new InvalidArgumentError('resultIds', `query ${q} returned id ${id}; expected 0 to ${n - 1}`);
      }
      if (seen.has(id)) continue;
      seen.add(id);
      if (distance(id) <= threshold) hits++;
    }
    total += hits / k;
  }
  return nq === 0 ? 0 : total / nq;
}

/** Exact float64 distance from one query row to base row `id`, lower is closer. */
function distanceTo(
  metric: Metric,
  queries: Float32Array,
  queryOffset: number,
  base: Float32Array,
  dim: number,
): (id: number) => number {
  switch (metric) {
    case 'l2':
      return (id) => l2Impl(queries, queryOffset, base, id * dim, dim);
    case 'ip':
      return (id) => -dotImpl(queries, queryOffset, base, id * dim, dim);
    case 'cosine': {
      const queryNorm = normImpl(queries, queryOffset, dim);
      return (id) =>
        cosineFromDot(
          dotImpl(queries, queryOffset, base, id * dim, dim),
          queryNorm,
          normImpl(base, id * dim, dim),
        );
    }
  }
}
