import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM, latencyQuantileMs, projectScale } from '../src/scale-model.ts';

const CALIBRATION = {
  computeMsPerPartitionSearch: 1,
  rowsPerPartition: 7500,
  partitionsPerQuery: 2,
  partitions: 8,
};

describe('projectScale', () => {
  it('grows partitions, functions, depth and cost with the number of vectors', () => {
    const [small, medium, large] = [10e6, 100e6, 1e9].map((vectors) =>
      projectScale({ vectors, dim: 768 }, CALIBRATION),
    );
    expect(small!.partitions).toBe(500);
    expect(large!.partitions).toBe(50_000);
    expect(medium!.processorFunctions).toBeGreaterThan(small!.processorFunctions);
    expect(large!.treeDepth).toBeGreaterThanOrEqual(medium!.treeDepth);
    expect(large!.cost.dollarsPerMillionQueries).toBeGreaterThan(small!.cost.dollarsPerMillionQueries);
    expect(large!.coordinatorStateMb).toBeCloseTo(6000 + (50_000 * 64 * 4) / 1e6, 6);
  });

  it('never reports a p99 below the p50', () => {
    for (const vectors of [1e6, 1e7, 1e8, 1e9]) {
      const p = projectScale({ vectors, dim: 768 }, CALIBRATION);
      expect(p.p99Ms).toBeGreaterThanOrEqual(p.p50Ms);
    }
  });
});

describe('latencyQuantileMs', () => {
  const inputs = { hops: 1, widthPerHop: 1, fixedMs: 0, processors: 1, coldPenaltyMs: 1000 };

  it('returns the hop median at u = 0.5 and its p99 at u = 0.99 for one hop', () => {
    expect(latencyQuantileMs(inputs, { ...DEFAULT_PLATFORM, coldStartShare: 0 }, 0.5)).toBeCloseTo(15, 3);
    expect(latencyQuantileMs(inputs, { ...DEFAULT_PLATFORM, coldStartShare: 0 }, 0.99)).toBeCloseTo(60, 1);
  });

  it('waits longer for the slowest of more siblings and adds cold starts when they are common', () => {
    const one = latencyQuantileMs(inputs, DEFAULT_PLATFORM, 0.5);
    expect(latencyQuantileMs({ ...inputs, widthPerHop: 8 }, DEFAULT_PLATFORM, 0.5)).toBeGreaterThan(one);
    expect(latencyQuantileMs(inputs, { ...DEFAULT_PLATFORM, coldStartShare: 0.5 }, 0.99)).toBeGreaterThan(
      1000,
    );
  });
});
