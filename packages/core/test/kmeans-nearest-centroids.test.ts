import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { l2Impl } from '../src/distance/reference-kernels.ts';
import { DimensionMismatchError, InvalidArgumentError } from '../src/errors/index.ts';
import { nearestCentroids } from '../src/kmeans/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

describe('nearestCentroids', () => {
  it('returns the count nearest centroids in ascending squared-L2 distance, like brute force', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 45 }),
        (seed, partitions, dim, count) => {
          const random = new SeededRandom(seed);
          // Small integers make exact distance ties common.
          const centroids = Float32Array.from({ length: partitions * dim }, () => random.nextInt(3));
          const query = Float32Array.from({ length: dim }, () => random.nextInt(3));
          const expected = Array.from({ length: partitions }, (_, c) => c)
            .map((c) => ({ c, d: l2Impl(query, 0, centroids, c * dim, dim) }))
            .sort((a, b) => a.d - b.d || a.c - b.c)
            .slice(0, count)
            .map(({ c }) => c);
          expect(Array.from(nearestCentroids(centroids, partitions, dim, query, count))).toEqual(expected);
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it('breaks distance ties by the lower centroid id', () => {
    const centroids = Float32Array.from([1, 0, -1, 0, 0, 1, 5, 5]);
    expect(Array.from(nearestCentroids(centroids, 4, 2, Float32Array.from([0, 0]), 4))).toEqual([0, 1, 2, 3]);
  });

  it('returns every centroid when count exceeds partitions, and none for count 0', () => {
    const centroids = Float32Array.from([3, 1, 2]);
    expect(Array.from(nearestCentroids(centroids, 3, 1, Float32Array.from([0]), 10))).toEqual([1, 2, 0]);
    expect(nearestCentroids(centroids, 3, 1, Float32Array.from([0]), 0)).toHaveLength(0);
  });

  it('rejects a query of the wrong dimension with DIMENSION_MISMATCH', () => {
    expect(() => nearestCentroids(new Float32Array(6), 3, 2, new Float32Array(3), 1)).toThrow(
      DimensionMismatchError,
    );
  });

  it('rejects a negative count and a centroid matrix of the wrong length with INVALID_ARGUMENT', () => {
    expect(() => nearestCentroids(new Float32Array(6), 3, 2, new Float32Array(2), -1)).toThrow(
      InvalidArgumentError,
    );
    expect(() => nearestCentroids(new Float32Array(5), 3, 2, new Float32Array(2), 1)).toThrow(
      InvalidArgumentError,
    );
  });
});
