import {
  type AttributeColumns,
  buildAttributeColumns,
  type ExactIndex,
  type Metric,
  SeededRandom,
} from '../src/index.ts';

/** A dataset prepared for engine benchmarks and recall tests: vectors, attributes, queries. */
export interface EngineDataset {
  readonly name: string;
  readonly metric: Metric;
  readonly dim: number;
  readonly n: number;
  readonly base: Float32Array;
  readonly nq: number;
  readonly queries: Float32Array;
  readonly attributes: AttributeColumns;
}

/**
 * Attributes every benchmark dataset gets: `label` (the dataset's class label when it has one,
 * else row id mod 10; 10% of rows per value) and `score` (seeded uniform in [0, 100), so a range
 * of width w selects w% of rows).
 */
export function benchmarkAttributes(
  n: number,
  labels: ArrayLike<number> | undefined,
  seed = 42,
): AttributeColumns {
  const random = new SeededRandom(seed);
  const rows = Array.from({ length: n }, (_, i) => ({
    label: labels === undefined ? i % 10 : labels[i]!,
    score: Math.floor(random.nextFloat() * 1_000_000) / 10_000,
  }));
  return buildAttributeColumns(rows, { label: { type: 'integer' }, score: { type: 'number' } });
}

/** A named filter family; `filterFor(q)` gives query q's filter. */
export interface Workload {
  readonly name: string;
  readonly selectivity: string;
  filterFor(q: number): unknown;
}

/** The filtered workloads the engine is measured on (SQUASH evaluates the same kinds). */
export const WORKLOADS: readonly Workload[] = [
  { name: 'unfiltered', selectivity: '100%', filterFor: () => undefined },
  { name: 'label', selectivity: '10%', filterFor: (q) => ({ label: q % 10 }) },
  {
    name: 'score range',
    selectivity: '10%',
    filterFor: (q) => ({ score: { $gte: q % 90, $lt: (q % 90) + 10 } }),
  },
  {
    name: 'score range',
    selectivity: '1%',
    filterFor: (q) => ({ score: { $gte: q % 99, $lt: (q % 99) + 1 } }),
  },
  {
    name: 'label AND score range',
    selectivity: '1%',
    filterFor: (q) => ({ label: (q * 7) % 10, score: { $gte: q % 90, $lt: (q % 90) + 10 } }),
  },
];

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
