import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { l2Impl } from '../src/distance/reference-kernels.ts';
import { candidateListsImpl } from '../src/kmeans/candidate-lists.ts';
import { createCentroidDistances } from '../src/kmeans/centroid-distances.ts';
import { greedyAssignmentImpl } from '../src/kmeans/greedy-assignment.ts';
import { improveAssignmentImpl } from '../src/kmeans/improve-assignment.ts';
import { kMeansPlusPlusImpl } from '../src/kmeans/kmeans-plus-plus.ts';
import { lloydImpl } from '../src/kmeans/lloyd.ts';
import { partitionSizeBounds } from '../src/kmeans/partition-size-bounds.ts';
import { createSampleScanner } from '../src/kmeans/sample-scanner.ts';
import { sortDescendingStable } from '../src/kmeans/sort-descending.ts';
import { createCentroidTable, squaredL2BlockImpl, squaredL2Impl } from '../src/kmeans/squared-l2-kernels.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

function gaussianRows(seed: number, n: number, dim: number, scale = 1): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: n * dim }, () => random.nextGaussian() * scale);
}

describe('partitionSizeBounds', () => {
  it('rounds (1 +- tolerance) * n / P inwards', () => {
    expect(partitionSizeBounds(1000, 10, 0.1)).toEqual({ min: 90, max: 110 });
    expect(partitionSizeBounds(1_000_000, 100, 0.1)).toEqual({ min: 9000, max: 11000 });
    expect(partitionSizeBounds(1003, 10, 0.1)).toEqual({ min: 91, max: 110 });
    expect(partitionSizeBounds(100, 1, 0.1)).toEqual({ min: 90, max: 110 });
  });

  it('widens to floor/ceil of n / P when the rounded range is empty', () => {
    expect(partitionSizeBounds(5, 3, 0.1)).toEqual({ min: 1, max: 2 });
    expect(partitionSizeBounds(7, 7, 0.1)).toEqual({ min: 1, max: 1 });
    expect(partitionSizeBounds(1003, 10, 0)).toEqual({ min: 100, max: 101 });
  });

  it('is always feasible: P * min <= n <= P * max, and 1 <= min <= max', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (n, rawPartitions, tolerance) => {
          const partitions = Math.min(n, rawPartitions);
          const { min, max } = partitionSizeBounds(n, partitions, tolerance);
          expect(Number.isInteger(min) && Number.isInteger(max)).toBe(true);
          expect(min).toBeGreaterThanOrEqual(1);
          expect(min).toBeLessThanOrEqual(max);
          expect(partitions * min).toBeLessThanOrEqual(n);
          expect(partitions * max).toBeGreaterThanOrEqual(n);
          expect(min).toBeGreaterThanOrEqual(
            Math.min(Math.floor(n / partitions), (1 - tolerance) * (n / partitions) - 1e-6),
          );
          expect(max).toBeLessThanOrEqual(
            Math.max(Math.ceil(n / partitions), (1 + tolerance) * (n / partitions) + 1e-6),
          );
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('sortDescendingStable', () => {
  it('orders by descending key with ties in input order, like a comparator sort', () => {
    const keyArbitrary = fc.oneof(
      fc.constantFrom(0, -0, 1, -1, 2.5),
      fc.float({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(keyArbitrary, { maxLength: 300 }), (values) => {
        const keys = Float32Array.from(values);
        const items = Uint32Array.from(keys, (_, i) => i);
        const expected = Array.from(items).sort((a, b) => keys[b]! - keys[a]! || a - b);
        expect(Array.from(sortDescendingStable(items, keys))).toEqual(expected);
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('squared-L2 kernels', () => {
  it('match the float64 reference for the pair kernel and the 2 x 4 block kernel', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 37 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 11 }),
        (seed, dim, rows, count) => {
          const data = gaussianRows(seed, rows, dim, 10);
          const centroids = gaussianRows(seed + 1, count, dim, 10);
          const table = createCentroidTable(centroids, count, dim);
          const out = new Float64Array(rows * table.stride);
          squaredL2BlockImpl(data, 0, rows, table, out);
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < count; c++) {
              const reference = l2Impl(data, r * dim, centroids, c * dim, dim);
              expect(out[r * table.stride + c]).toBeCloseTo(reference, 6);
              expect(squaredL2Impl(data, r * dim, centroids, c * dim, dim)).toBeCloseTo(reference, 9);
            }
          }
        },
      ),
      { seed: 23, numRuns: 200 },
    );
  });

  it('give the same value for a row whether measured alone or inside a block', () => {
    const dim = 13;
    const data = gaussianRows(1, 9, dim);
    const centroids = gaussianRows(2, 6, dim);
    for (const backend of ['ts', 'wasm'] as const) {
      const measure = createCentroidDistances(centroids, 6, dim, backend);
      const block = new Float32Array(9 * 6);
      measure.blockDistances(data, 0, 9, block);
      const single = new Float32Array(6);
      for (let r = 0; r < 9; r++) {
        measure.blockDistances(data, r, 1, single);
        expect(Array.from(single)).toEqual(Array.from(block.subarray(r * 6, r * 6 + 6)));
      }
    }
  });

  it('agree between the TypeScript and WebAssembly backends to float32 rounding', () => {
    const dim = 70;
    const data = gaussianRows(3, 50, dim, 3);
    const centroids = gaussianRows(4, 9, dim, 3);
    const ts = new Float32Array(50 * 9);
    const wasm = new Float32Array(50 * 9);
    createCentroidDistances(centroids, 9, dim, 'ts').blockDistances(data, 0, 50, ts);
    createCentroidDistances(centroids, 9, dim, 'wasm').blockDistances(data, 0, 50, wasm);
    for (let e = 0; e < ts.length; e++)
      expect(Math.abs(ts[e]! - wasm[e]!)).toBeLessThan(1e-4 * ts[e]! + 1e-3);
  });
});

describe('candidate lists', () => {
  it('hold each row nearest centroids in ascending distance, lower id first on ties', () => {
    const dim = 2;
    // Centroids 1 and 3 coincide, as do 0 and 4: ties must come out lower id first.
    const centroids = Float32Array.from([0, 0, 5, 5, 9, 9, 5, 5, 0, 0]);
    const data = Float32Array.from([1, 1, 5, 4, 9, 8]);
    const measure = createCentroidDistances(centroids, 5, dim, 'ts');
    const lists = candidateListsImpl(data, 3, measure, 3);
    expect(Array.from(lists.ids)).toEqual([0, 4, 1, 1, 3, 0, 2, 1, 3]);
    expect(Array.from(lists.distances.subarray(0, 3))).toEqual([2, 2, 32]);
  });
});

describe('greedy assignment', () => {
  it('meets the size bounds even when every row prefers the same centroid', () => {
    const dim = 3;
    const n = 97;
    const data = gaussianRows(6, n, dim, 0.1);
    // Centroid 0 sits on the data; the others are far away in different directions.
    const centroids = Float32Array.from([0, 0, 0, 50, 0, 0, 0, 50, 0, 0, 0, 50, -50, 0, 0]);
    const measure = createCentroidDistances(centroids, 5, dim, 'ts');
    const lists = candidateListsImpl(data, n, measure, 2);
    const bounds = partitionSizeBounds(n, 5, 0.1);
    const state = greedyAssignmentImpl(data, n, measure, lists, bounds);
    for (const size of state.sizes) {
      expect(size).toBeGreaterThanOrEqual(bounds.min);
      expect(size).toBeLessThanOrEqual(bounds.max);
    }
    expect(state.sizes[0]).toBe(bounds.max);
    for (let i = 0; i < n; i++) {
      expect(state.assignedDistances[i]).toBeCloseTo(
        l2Impl(data, i * dim, centroids, state.assignments[i]! * dim, dim),
        3,
      );
    }
  });

  it('keeps the bounds and never raises the total distance during local search', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2, max: 12 }), (seed, partitions) => {
        const dim = 4;
        const n = 300;
        const data = gaussianRows(seed, n, dim);
        const centroids = gaussianRows(seed + 7, partitions, dim);
        const measure = createCentroidDistances(centroids, partitions, dim, 'ts');
        const lists = candidateListsImpl(data, n, measure, Math.min(partitions, 4));
        const bounds = partitionSizeBounds(n, partitions, 0.1);
        const state = greedyAssignmentImpl(data, n, measure, lists, bounds);
        const before = state.assignedDistances.reduce((sum, d) => sum + d, 0);
        improveAssignmentImpl(state, lists, bounds, 4);
        const after = state.assignedDistances.reduce((sum, d) => sum + d, 0);
        expect(after).toBeLessThanOrEqual(before + 1e-9);
        const counted = new Uint32Array(partitions);
        for (let i = 0; i < n; i++) {
          counted[state.assignments[i]!]!++;
          const d = l2Impl(data, i * dim, centroids, state.assignments[i]! * dim, dim);
          expect(state.assignedDistances[i]).toBeCloseTo(d, 3);
        }
        expect(counted).toEqual(state.sizes);
        for (const size of state.sizes) {
          expect(size).toBeGreaterThanOrEqual(bounds.min);
          expect(size).toBeLessThanOrEqual(bounds.max);
        }
      }),
      { seed: 99, numRuns: 40 },
    );
  });

  it('handles more than 2048 partitions, where pair tables switch from arrays to maps', () => {
    const dim = 2;
    const partitions = 2100;
    const n = 2 * partitions + 37;
    const data = gaussianRows(31, n, dim);
    const centroids = gaussianRows(32, partitions, dim);
    const measure = createCentroidDistances(centroids, partitions, dim, 'ts');
    const lists = candidateListsImpl(data, n, measure, 8);
    const bounds = partitionSizeBounds(n, partitions, 0.1);
    const state = greedyAssignmentImpl(data, n, measure, lists, bounds);
    const before = state.assignedDistances.reduce((sum, d) => sum + d, 0);
    const moved = improveAssignmentImpl(state, lists, bounds, 4);
    const after = state.assignedDistances.reduce((sum, d) => sum + d, 0);
    expect(moved).toBeGreaterThan(0);
    expect(after).toBeLessThan(before);
    for (const size of state.sizes) {
      expect(size).toBeGreaterThanOrEqual(bounds.min);
      expect(size).toBeLessThanOrEqual(bounds.max);
    }
  });
});

describe('k-means++ and Lloyd', () => {
  it('k-means++ picks k distinct rows even when the data has fewer distinct values than k', () => {
    const dim = 2;
    const data = Float32Array.from([1, 1, 1, 1, 2, 2, 1, 1, 2, 2, 1, 1]);
    const scanner = createSampleScanner(data, 6, dim, 'ts');
    const centroids = kMeansPlusPlusImpl(data, 6, dim, 6, new SeededRandom(1), scanner);
    const asPairs = Array.from(
      { length: 6 },
      (_, c) => `${centroids[c * dim]},${centroids[c * dim + 1]}`,
    ).sort();
    expect(asPairs).toEqual(['1,1', '1,1', '1,1', '1,1', '2,2', '2,2']);
  });

  it('Lloyd re-seeds an empty cluster at the farthest row instead of leaving it empty', () => {
    const dim = 1;
    const data = Float32Array.from([0, 1, 2, 100]);
    // Centroid 1 starts far from everything: it wins no row in the first assignment.
    const centroids = Float32Array.from([1, 1000]);
    lloydImpl(data, 4, dim, centroids, 2, 5, 'ts');
    expect(Array.from(centroids).sort((a, b) => a - b)).toEqual([1, 100]);
  });

  it('Lloyd never increases the training inertia from one iteration cap to the next', () => {
    const dim = 5;
    const n = 400;
    const data = gaussianRows(12, n, dim, 2);
    const seeds = kMeansPlusPlusImpl(
      data,
      n,
      dim,
      8,
      new SeededRandom(4),
      createSampleScanner(data, n, dim, 'ts'),
    );
    let previous = Number.POSITIVE_INFINITY;
    for (const cap of [1, 2, 4, 8]) {
      const { inertia } = lloydImpl(data, n, dim, Float32Array.from(seeds), 8, cap, 'ts');
      expect(inertia).toBeLessThanOrEqual(previous + 1e-9);
      previous = inertia;
    }
  });
});
