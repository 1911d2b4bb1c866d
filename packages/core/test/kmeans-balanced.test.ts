import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { l2Impl } from '../src/distance/reference-kernels.ts';
import { InvalidArgumentError } from '../src/errors/index.ts';
import {
  assignBalanced,
  type BalancedKMeansResult,
  balancedKMeans,
  partitionSizeBounds,
  trainCentroids,
} from '../src/kmeans/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

const BACKENDS = ['ts', 'wasm'] as const;

/** Seeded Gaussian blobs: `blobs` centres ~ N(0, spread^2) per dimension, unit noise. */
function gaussianBlobs(seed: number, n: number, dim: number, blobs: number, spread: number) {
  const random = new SeededRandom(seed);
  const centres = Float32Array.from({ length: blobs * dim }, () => random.nextGaussian() * spread);
  const data = new Float32Array(n * dim);
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const blob = i % blobs;
    labels[i] = blob;
    for (let j = 0; j < dim; j++) data[i * dim + j] = centres[blob * dim + j]! + random.nextGaussian();
  }
  return { data, labels };
}

/** Checks every structural promise of a result: sizes, bounds, coverage, means, inertia. */
function expectValidPartition(
  result: BalancedKMeansResult,
  data: Float32Array,
  n: number,
  dim: number,
  partitions: number,
  tolerance = 0.1,
): void {
  const bounds = partitionSizeBounds(n, partitions, tolerance);
  expect(result.sizeBounds).toEqual(bounds);
  expect(result.assignments).toHaveLength(n);
  expect(result.sizes).toHaveLength(partitions);
  expect(result.centroids).toHaveLength(partitions * dim);
  const counted = new Uint32Array(partitions);
  for (const p of result.assignments) {
    expect(p).toBeLessThan(partitions);
    counted[p]!++;
  }
  expect(counted).toEqual(result.sizes);
  for (const size of result.sizes) {
    expect(size).toBeGreaterThanOrEqual(bounds.min);
    expect(size).toBeLessThanOrEqual(bounds.max);
  }
  const sums = new Float64Array(partitions * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) sums[result.assignments[i]! * dim + j]! += data[i * dim + j]!;
  }
  let inertia = 0;
  for (let p = 0; p < partitions; p++) {
    for (let j = 0; j < dim; j++) {
      const mean = sums[p * dim + j]! / result.sizes[p]!;
      expect(result.centroids[p * dim + j]).toBeCloseTo(mean, 4);
    }
  }
  for (let i = 0; i < n; i++)
    inertia += l2Impl(data, i * dim, result.centroids, result.assignments[i]! * dim, dim);
  expect(result.inertia).toBeCloseTo(inertia, 6);
}

describe.each(BACKENDS)('balancedKMeans (%s backend)', (backend) => {
  it('keeps every partition within the size bounds, assigns every row once, and returns member means', () => {
    const caseArbitrary = fc
      .record({
        n: fc.integer({ min: 1, max: 400 }),
        dim: fc.integer({ min: 1, max: 9 }),
        partitionsFraction: fc.double({ min: 0, max: 1, noNaN: true }),
        seed: fc.integer({ min: 0, max: 1000 }),
        tolerance: fc.constantFrom(0, 0.05, 0.1, 0.3),
      })
      .map(({ n, partitionsFraction, ...rest }) => ({
        n,
        partitions: Math.max(1, Math.min(n, Math.round(partitionsFraction * Math.min(n, 40)))),
        ...rest,
      }));
    fc.assert(
      fc.property(caseArbitrary, ({ n, dim, partitions, seed, tolerance }) => {
        const { data } = gaussianBlobs(seed, n, dim, 5, 3);
        const result = balancedKMeans(data, n, dim, {
          partitions,
          seed,
          tolerance,
          maxIterations: 5,
          backend,
        });
        expectValidPartition(result, data, n, dim, partitions, tolerance);
      }),
      { seed: 4242, numRuns: 60 },
    );
  });

  it('covers the edge shapes: one partition, one row per partition, and n not divisible by partitions', () => {
    const n = 103;
    const dim = 4;
    const { data } = gaussianBlobs(3, n, dim, 4, 5);
    for (const partitions of [1, n, 7, 10, 51]) {
      const result = balancedKMeans(data, n, dim, { partitions, seed: 1, backend });
      expectValidPartition(result, data, n, dim, partitions);
    }
    const single = balancedKMeans(data.subarray(0, dim), 1, dim, { partitions: 1, backend });
    expect(Array.from(single.centroids)).toEqual(Array.from(data.subarray(0, dim)));
    expect(single.inertia).toBe(0);
  });

  it('returns identical partitions for the same seed', () => {
    const n = 2000;
    const dim = 16;
    const { data } = gaussianBlobs(9, n, dim, 12, 2);
    const options = { partitions: 10, seed: 77, trainRows: 600, backend };
    const first = balancedKMeans(data, n, dim, options);
    const second = balancedKMeans(Float32Array.from(data), n, dim, options);
    expect(second.assignments).toEqual(first.assignments);
    expect(second.centroids).toEqual(first.centroids);
    expect(second.sizes).toEqual(first.sizes);
    expect(second.inertia).toBe(first.inertia);
  });

  it('can return different partitions for different seeds', () => {
    const n = 1500;
    const dim = 8;
    // Overlapping blobs: several local optima, so the seed matters.
    const { data } = gaussianBlobs(5, n, dim, 20, 0.5);
    const runs = [1, 2, 3].map(
      (seed) => balancedKMeans(data, n, dim, { partitions: 12, seed, backend }).assignments,
    );
    const differs = runs.some((run) => run.some((p, i) => p !== runs[0]![i]));
    expect(differs).toBe(true);
  });

  it('recovers equal-sized Gaussian blobs with far lower inertia than a random balanced split', () => {
    const n = 6000;
    const dim = 32;
    const blobs = 12;
    const { data, labels } = gaussianBlobs(21, n, dim, blobs, 3);
    const result = balancedKMeans(data, n, dim, { partitions: blobs, seed: 0, backend });
    expectValidPartition(result, data, n, dim, blobs);
    // Random balanced split: a seeded shuffle cut into equal parts, scored against its means.
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const shuffle = new SeededRandom(2);
    for (let i = n - 1; i > 0; i--) {
      const j = shuffle.nextInt(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const randomAssignments = new Uint32Array(n);
    order.forEach((row, position) => {
      randomAssignments[row] = position % blobs;
    });
    const randomInertia = inertiaOf(data, n, dim, randomAssignments, blobs);
    expect(result.inertia).toBeLessThan(0.15 * randomInertia);
    // Each partition is (almost) one blob: purity over 98%.
    let agreeing = 0;
    for (let p = 0; p < blobs; p++) {
      const counts = new Uint32Array(blobs);
      for (let i = 0; i < n; i++) if (result.assignments[i] === p) counts[labels[i]!]!++;
      agreeing += Math.max(...counts);
    }
    expect(agreeing / n).toBeGreaterThan(0.98);
  });

  it('balances rows that are all identical', () => {
    const n = 50;
    const dim = 3;
    const data = new Float32Array(n * dim).fill(2.5);
    const result = balancedKMeans(data, n, dim, { partitions: 7, seed: 3, backend });
    expectValidPartition(result, data, n, dim, 7);
    expect(result.inertia).toBe(0);
  });

  it('splits uneven natural clusters evenly when the tolerance is 0', () => {
    const dim = 6;
    const random = new SeededRandom(8);
    // One blob holds 70% of the rows: plain k-means would give it most of the partitions' rows.
    const n = 1000;
    const data = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const offset = i < 700 ? 0 : 20;
      for (let j = 0; j < dim; j++) data[i * dim + j] = offset + random.nextGaussian();
    }
    const result = balancedKMeans(data, n, dim, { partitions: 8, tolerance: 0, seed: 1, backend });
    expectValidPartition(result, data, n, dim, 8, 0);
    expect(Array.from(result.sizes)).toEqual(new Array(8).fill(125));
  });
});

describe('balancedKMeans input validation', () => {
  const dim = 2;
  const data = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);

  it.each([
    ['partitions 0', () => balancedKMeans(data, 4, dim, { partitions: 0 }), 'partitions'],
    ['partitions > n', () => balancedKMeans(data, 4, dim, { partitions: 5 }), 'partitions'],
    ['fractional partitions', () => balancedKMeans(data, 4, dim, { partitions: 1.5 }), 'partitions'],
    ['n 0', () => balancedKMeans(new Float32Array(0), 0, dim, { partitions: 1 }), 'n'],
    ['data length not n x dim', () => balancedKMeans(data, 3, dim, { partitions: 1 }), 'data'],
    ['dim 0', () => balancedKMeans(data, 4, 0, { partitions: 1 }), 'dim'],
    ['tolerance 1', () => balancedKMeans(data, 4, dim, { partitions: 2, tolerance: 1 }), 'tolerance'],
    [
      'negative tolerance',
      () => balancedKMeans(data, 4, dim, { partitions: 2, tolerance: -0.1 }),
      'tolerance',
    ],
    [
      'trainRows < partitions',
      () => balancedKMeans(data, 4, dim, { partitions: 3, trainRows: 2 }),
      'trainRows',
    ],
    [
      'negative maxIterations',
      () => balancedKMeans(data, 4, dim, { partitions: 2, maxIterations: -1 }),
      'maxIterations',
    ],
    [
      'an unknown option',
      () => balancedKMeans(data, 4, dim, { partitions: 2, iterations: 3 } as never),
      'options',
    ],
    [
      'an unknown backend',
      () => balancedKMeans(data, 4, dim, { partitions: 2, backend: 'gpu' as never }),
      'backend',
    ],
    [
      'a NaN value',
      () => balancedKMeans(Float32Array.from([0, 0, 1, Number.NaN]), 2, dim, { partitions: 1 }),
      'data',
    ],
    [
      'centroids of the wrong length',
      () => assignBalanced(data, 4, dim, new Float32Array(3), 2),
      'centroids',
    ],
    [
      'assignBalanced partitions > n',
      () => assignBalanced(data, 4, dim, new Float32Array(10), 5),
      'partitions',
    ],
    [
      'trainCentroids unknown option',
      () => trainCentroids(data, 4, dim, { partitions: 2, k: 2 } as never),
      'options',
    ],
  ])('rejects %s with INVALID_ARGUMENT', (_name, call, argument) => {
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    expect((caught as InvalidArgumentError).argument).toBe(argument);
  });

  it('names the offending row and value in the message', () => {
    expect(() =>
      balancedKMeans(Float32Array.from([0, 0, 1, Number.POSITIVE_INFINITY]), 2, dim, { partitions: 1 }),
    ).toThrow('data row 1 holds Infinity at dimension 1; allowed: finite numbers');
  });

  it('treats trainRows above n as all rows', () => {
    const result = balancedKMeans(data, 4, dim, { partitions: 2, trainRows: 1000 });
    expect(result.trainRows).toBe(4);
  });
});

function inertiaOf(
  data: Float32Array,
  n: number,
  dim: number,
  assignments: Uint32Array,
  partitions: number,
): number {
  const sums = new Float64Array(partitions * dim);
  const counts = new Uint32Array(partitions);
  for (let i = 0; i < n; i++) {
    counts[assignments[i]!]!++;
    for (let j = 0; j < dim; j++) sums[assignments[i]! * dim + j]! += data[i * dim + j]!;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const p = assignments[i]!;
    for (let j = 0; j < dim; j++) {
      const d = data[i * dim + j]! - sums[p * dim + j]! / counts[p]!;
      inertia += d * d;
    }
  }
  return inertia;
}
