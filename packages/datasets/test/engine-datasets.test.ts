import { describe, expect, it } from 'vitest';
import { augmentedDataset, BENCH_WORKLOADS, syntheticClusteredDataset, WORKLOADS } from '../src/index.ts';

describe('augmentedDataset', () => {
  const source = syntheticClusteredDataset({ n: 500, dim: 8, nq: 5, clusters: 4 });

  it('keeps the original rows first, adds seeded noisy copies and keeps the queries', () => {
    const bigger = augmentedDataset(source, 3);
    expect([bigger.n, bigger.base.length, bigger.name]).toEqual([1500, 1500 * 8, `${source.name}-x3`]);
    expect(Array.from(bigger.base.subarray(0, 500 * 8))).toEqual(Array.from(source.base));
    expect(bigger.queries).toBe(source.queries);
    expect(bigger.attributes.rowCount).toBe(1500);
    expect(Array.from(augmentedDataset(source, 3).base)).toEqual(Array.from(bigger.base));
    // A copy is near its original: noise 0.35 x |row| / sqrt(dim) per coordinate.
    let copyGap = 0;
    let rowNorm = 0;
    for (let j = 0; j < 8; j++) {
      copyGap += (bigger.base[500 * 8 + j]! - source.base[j]!) ** 2;
      rowNorm += source.base[j]! ** 2;
    }
    expect(copyGap).toBeGreaterThan(0);
    expect(Math.sqrt(copyGap)).toBeLessThan(Math.sqrt(rowNorm));
  });
});

describe('workloads', () => {
  it('adds a 50% score range to the engine workloads', () => {
    expect(BENCH_WORKLOADS.slice(0, WORKLOADS.length)).toEqual(WORKLOADS);
    expect(BENCH_WORKLOADS.map((w) => w.selectivity)).toEqual(['100%', '10%', '10%', '1%', '1%', '50%']);
  });
});
