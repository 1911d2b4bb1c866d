import { beforeAll, describe, expect, it } from 'vitest';
import { type LoadedDataset, loadSharedDataset } from '../../../test/support/datasets.ts';
import { recallAtK } from '../../../test/support/recall.ts';
import { createScanner } from '../src/distance/create-scanner.ts';
import {
  fitLeanVec,
  innerProductLoss,
  type LeanVecModel,
  projectData,
  projectQuery,
  reducedMetric,
} from '../src/leanvec/index.ts';
import { exactSearch } from '../src/search/exact-search.ts';

/**
 * LeanVec on GloVe-100 (50,000 words, cosine) from `../shared/datasets`, skipped with a visible
 * message when that folder is absent. Queries 0-499 are the LeanVec-OOD query sample; queries
 * 500-699 are held out and used for every measurement.
 */
const OUTPUT_DIM = 50;
const TRAIN_QUERIES = 500;
const TEST_QUERIES = 200;
const RERANK = 10_000;

let glove: LoadedDataset | undefined;
let id: LeanVecModel;
let ood: LeanVecModel;

beforeAll(async () => {
  glove = await loadSharedDataset('glove-100d', { maxQueries: TRAIN_QUERIES + TEST_QUERIES });
  if (glove === undefined) return;
  const { base, n, dim, queries } = glove;
  let started = performance.now();
  id = fitLeanVec(base, n, dim, { metric: 'cosine', outputDim: OUTPUT_DIM });
  const idSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const train = { data: queries.subarray(0, TRAIN_QUERIES * dim), n: TRAIN_QUERIES };
  ood = fitLeanVec(base, n, dim, { metric: 'cosine', outputDim: OUTPUT_DIM, queries: train });
  const oodSeconds = (performance.now() - started) / 1000;
  console.info(
    `[leanvec glove] fit 50,000 x 100 -> ${OUTPUT_DIM}: ID ${idSeconds.toFixed(2)} s, OOD ${oodSeconds.toFixed(2)} s`,
  );
});

function heldOut(data: LoadedDataset): { queries: Float32Array; groundTruth: Int32Array } {
  const { dim, gtK } = data;
  const end = TRAIN_QUERIES + TEST_QUERIES;
  return {
    queries: data.queries.subarray(TRAIN_QUERIES * dim, end * dim),
    groundTruth: data.groundTruth.subarray(TRAIN_QUERIES * gtK, end * gtK),
  };
}

/**
 * Recall@10 of: reduced search for the top `depth` rows, then an exact cosine re-rank of those,
 * for each depth. One reduced search (for the largest depth) per query serves every depth.
 */
function rerankRecalls(data: LoadedDataset, model: LeanVecModel, depths: readonly number[]): number[] {
  const { queries, groundTruth } = heldOut(data);
  const reduced = createScanner(reducedMetric(model), projectData(model, data.base, data.n), OUTPUT_DIM);
  const full = createScanner('cosine', data.base, data.dim);
  const z = new Float32Array(OUTPUT_DIM);
  const resultIds = depths.map((): number[][] => []);
  for (let q = 0; q < TEST_QUERIES; q++) {
    const query = queries.subarray(q * data.dim, (q + 1) * data.dim);
    const ranked = exactSearch(reduced, projectQuery(model, query, z), { topK: Math.max(...depths) }).ids;
    depths.forEach((depth, index) => {
      const candidates = Uint32Array.from(ranked.slice(0, depth));
      resultIds[index]!.push(exactSearch(full, query, { topK: 10, allowRowIds: candidates }).ids);
    });
  }
  return resultIds.map((ids) => recallAtK({ ...data, queries, groundTruth, resultIds: ids, k: 10 }));
}

describe('LeanVec on GloVe-100 (cosine)', () => {
  it('fits LeanVec-OOD with an inner-product loss no worse than LeanVec-ID at the same d', (context) => {
    if (glove === undefined) return context.skip('glove-100d not found in ../shared/datasets');
    const { base, n, dim, queries } = glove;
    const train = queries.subarray(0, TRAIN_QUERIES * dim);
    const idTrain = innerProductLoss(id, train, TRAIN_QUERIES, base, n).relativeError;
    const oodTrain = innerProductLoss(ood, train, TRAIN_QUERIES, base, n).relativeError;
    const test = heldOut(glove).queries;
    const idTest = innerProductLoss(id, test, TEST_QUERIES, base, n).relativeError;
    const oodTest = innerProductLoss(ood, test, TEST_QUERIES, base, n).relativeError;
    console.info(
      `[leanvec glove] relative inner-product loss, d=${OUTPUT_DIM}: ID ${idTrain.toFixed(4)} / OOD ${oodTrain.toFixed(4)} ` +
        `on the ${TRAIN_QUERIES} fitting queries; ID ${idTest.toFixed(4)} / OOD ${oodTest.toFixed(4)} on ${TEST_QUERIES} held-out`,
    );
    expect(oodTrain).toBeLessThanOrEqual(idTrain);
  });

  it(`reaches recall@10 >= 0.95 re-ranking the reduced top ${RERANK} (d = ${OUTPUT_DIM}) with full vectors`, (context) => {
    if (glove === undefined) return context.skip('glove-100d not found in ../shared/datasets');
    const depths = [50, 200, RERANK];
    const idRecalls = rerankRecalls(glove, id, depths);
    const oodRecalls = rerankRecalls(glove, ood, depths);
    const table = depths.map(
      (depth, i) => `top ${depth}: ID ${idRecalls[i]!.toFixed(4)} / OOD ${oodRecalls[i]!.toFixed(4)}`,
    );
    console.info(`[leanvec glove] recall@10 after re-ranking the reduced ${table.join('; ')}`);
    const recallId = idRecalls.at(-1)!;
    expect(recallId).toBeGreaterThanOrEqual(0.95);
  });
});
