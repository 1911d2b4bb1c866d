import { WORKLOADS, type Workload } from '../../core/bench/engine-workloads.ts';

/**
 * The engine benchmark's workloads (unfiltered; label 10%; score range 10% and 1%; label AND
 * score 1%) plus a 50% score range, so the sweep covers 1%, 10%, 50% and 100% selectivity.
 */
export const BENCH_WORKLOADS: readonly Workload[] = [
  ...WORKLOADS,
  {
    name: 'score range',
    selectivity: '50%',
    filterFor: (q) => ({ score: { $gte: q % 50, $lt: (q % 50) + 50 } }),
  },
];
