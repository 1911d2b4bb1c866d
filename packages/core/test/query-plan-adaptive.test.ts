import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { l2Impl } from '../src/distance/reference-kernels.ts';
import { partitionHyperplaneBounds } from '../src/engine/route.ts';
import { buildIndex, planQuery, resolveSearchParameters } from '../src/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

describe('partitionHyperplaneBounds', () => {
  it('bounds the squared distance from the query to every point of a Voronoi cell (l2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 12 }), (seed, dim) => {
        const random = new SeededRandom(seed);
        const cells = 2 + random.nextInt(6);
        const centroids = Float32Array.from({ length: cells * dim }, () => random.nextGaussian());
        const query = Float32Array.from({ length: dim }, () => random.nextGaussian());
        const bounds = partitionHyperplaneBounds('l2', query, centroids, dim)!;
        for (let t = 0; t < 200; t++) {
          const x = Float32Array.from({ length: dim }, () => 2 * random.nextGaussian());
          let cell = 0;
          for (let p = 1; p < cells; p++) {
            if (l2Impl(x, 0, centroids, p * dim, dim) < l2Impl(x, 0, centroids, cell * dim, dim)) cell = p;
          }
          expect(l2Impl(query, 0, x, 0, dim)).toBeGreaterThanOrEqual(bounds[cell]! * (1 - 1e-9) - 1e-9);
        }
      }),
      { seed: 23, numRuns: 100 },
    );
  });

  it('has no bound for ip and halves the squared bound for cosine', () => {
    const centroids = Float32Array.from([0, 0, 3, 0]);
    const query = Float32Array.from([0, 0]);
    expect(partitionHyperplaneBounds('ip', query, centroids, 2)).toBeUndefined();
    expect(Array.from(partitionHyperplaneBounds('l2', query, centroids, 2)!)).toEqual([0, 2.25]);
    expect(Array.from(partitionHyperplaneBounds('cosine', query, centroids, 2)!)).toEqual([0, 1.125]);
  });
});

describe('adaptive probing', () => {
  const data = syntheticClusters({ n: 4000, dim: 16, nq: 10, clusters: 16, seed: 9 });
  const index = buildIndex(data.base, data.n, data.dim, { metric: 'l2', partitions: 12 });
  const query = (q: number) => data.queries.subarray(q * data.dim, (q + 1) * data.dim);

  function visited(boundSlack: number, q: number): number[] {
    const parameters = resolveSearchParameters({ boundSlack, minPartitions: 1 });
    const plan = planQuery(index.routing, { vector: query(q), topK: 10, filter: undefined }, parameters);
    const result = index.search(query(q), { topK: 10, parameters });
    // Replay the engine's progress: its k-th distance, reached after the first partition.
    const first = plan.next({ found: 0, kthDistance: Number.POSITIVE_INFINITY }, 1);
    const rest = plan.next({ found: 10, kthDistance: result.distances[9]! });
    return [...first, ...rest];
  }

  it('visits fewer partitions as boundSlack grows, and all of them at 0 while results are missing', () => {
    for (let q = 0; q < data.nq; q++) {
      const tight = new Set(visited(40, q));
      const loose = new Set(visited(2, q));
      for (const p of tight) expect(loose.has(p)).toBe(true);
    }
    const parameters = resolveSearchParameters({ boundSlack: 0, minPartitions: 1 });
    const plan = planQuery(index.routing, { vector: query(0), topK: 10, filter: undefined }, parameters);
    expect(plan.next({ found: 0, kthDistance: Number.POSITIVE_INFINITY })).toHaveLength(1);
    expect(plan.next({ found: 0, kthDistance: Number.POSITIVE_INFINITY })).toHaveLength(11);
  });

  it('stops after the nearest partition when the k-th distance is below every bound', () => {
    const parameters = resolveSearchParameters({ boundSlack: 1, minPartitions: 1 });
    const plan = planQuery(index.routing, { vector: query(1), topK: 10, filter: undefined }, parameters);
    expect(plan.next({ found: 0, kthDistance: Number.POSITIVE_INFINITY })).toHaveLength(1);
    expect(plan.next({ found: 10, kthDistance: 0 })).toEqual([]);
  });
});
