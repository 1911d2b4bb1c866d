import { type AttributeColumns, buildAttributeColumns, type Metric, SeededRandom } from '@squash/core';

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
 * The benchmark sweep's workloads: `WORKLOADS` plus a 50% score range, so the sweep covers 1%,
 * 10%, 50% and 100% selectivity.
 */
export const BENCH_WORKLOADS: readonly Workload[] = [
  ...WORKLOADS,
  {
    name: 'score range',
    selectivity: '50%',
    filterFor: (q) => ({ score: { $gte: q % 50, $lt: (q % 50) + 50 } }),
  },
];
