/**
 * Reads the real benchmark files in `../shared/datasets` (or `$SQUASH_DATASETS_DIR`) and checks
 * them against the counts and sanity figures their READMEs document. Skipped, with a visible
 * message, when the folder is absent.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFvecs, readIdx, readIvecs, readVectors, streamVectors } from '../src/index.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const datasetsDir = process.env.SQUASH_DATASETS_DIR
  ? resolve(process.env.SQUASH_DATASETS_DIR)
  : resolve(repoRoot, '..', 'shared', 'datasets');
const present = existsSync(datasetsDir);
if (!present) console.warn(`[squash tests] skipping: ${datasetsDir} not found`);

const mnist = (name: string) => join(datasetsDir, 'mnist', name);
const fashion = (name: string) => join(datasetsDir, 'fashion-mnist', name);
const glove = (name: string) => join(datasetsDir, 'glove-100d', name);

function histogram(labels: ArrayLike<number>): number[] {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

/** Share of queries whose first ground-truth neighbour has the query's label. */
function oneNnAgreement(
  gt: Int32Array,
  k: number,
  baseLabels: ArrayLike<number>,
  queryLabels: ArrayLike<number>,
) {
  let agree = 0;
  for (let q = 0; q < queryLabels.length; q++) if (baseLabels[gt[q * k]!] === queryLabels[q]) agree++;
  return agree / queryLabels.length;
}

describe.skipIf(!present)('real datasets', () => {
  it('reads MNIST: 10,000 x 784 base and queries, top-100 ground truth, documented label counts', async () => {
    const [base, queries, baseLabels, queryLabels, gt] = await Promise.all([
      readIdx(mnist('train10k-images-idx3-ubyte.gz')),
      readIdx(mnist('t10k-images-idx3-ubyte.gz')),
      readIdx(mnist('train10k-labels-idx1-ubyte.gz')),
      readIdx(mnist('t10k-labels-idx1-ubyte.gz')),
      readIvecs(mnist('gt-t10k-vs-train10k-l2-k100.ivecs.gz')),
    ]);
    expect([base.type, base.dims, base.n, base.dim]).toEqual(['ubyte', [10000, 28, 28], 10000, 784]);
    expect([queries.n, queries.dim]).toEqual([10000, 784]);
    expect([baseLabels.n, queryLabels.n]).toEqual([10000, 10000]);
    expect(histogram(queryLabels.data)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect([gt.n, gt.dim]).toEqual([10000, 100]);
    expect(oneNnAgreement(gt.data, 100, baseLabels.data, queryLabels.data)).toBeCloseTo(0.9463, 4);
  });

  it('matches the MNIST ground truth by brute force for the first queries', async () => {
    const [base, queries, gt] = await Promise.all([
      readVectors(mnist('train10k-images-idx3-ubyte.gz')),
      readVectors(mnist('t10k-images-idx3-ubyte.gz')),
      readIvecs(mnist('gt-t10k-vs-train10k-l2-k100.ivecs.gz')),
    ]);
    for (let q = 0; q < 3; q++) {
      const distances = Array.from({ length: base.n }, (_, i) => {
        let sum = 0;
        for (let j = 0; j < 784; j++) sum += (queries.data[q * 784 + j]! - base.data[i * 784 + j]!) ** 2;
        return { i, sum };
      });
      distances.sort((a, b) => a.sum - b.sum || a.i - b.i);
      expect(Array.from(gt.data.subarray(q * 100, q * 100 + 10))).toEqual(
        distances.slice(0, 10).map((d) => d.i),
      );
    }
  });

  it('reads Fashion-MNIST: 60,000 train and 10,000 test images with 10% per class', async () => {
    const [trainLabels, testLabels, gt] = await Promise.all([
      readIdx(fashion('train-labels-idx1-ubyte.gz')),
      readIdx(fashion('t10k-labels-idx1-ubyte.gz')),
      readIvecs(fashion('gt-t10k-vs-train-l2-k100.ivecs.gz')),
    ]);
    expect(histogram(trainLabels.data)).toEqual(new Array(10).fill(6000));
    expect(histogram(testLabels.data)).toEqual(new Array(10).fill(1000));
    expect([gt.n, gt.dim]).toEqual([10000, 100]);
    expect(oneNnAgreement(gt.data, 100, trainLabels.data, testLabels.data)).toBeCloseTo(0.8497, 4);
  });

  it('streams the 60,000 Fashion-MNIST train images to the same rows as the whole-file read', async () => {
    const file = fashion('train-images-idx3-ubyte.gz');
    const whole = await readVectors(file);
    expect([whole.n, whole.dim]).toEqual([60000, 784]);
    let rows = 0;
    let mismatches = 0;
    for await (const batch of streamVectors(file, { batchRows: 5000 })) {
      const expected = whole.data.subarray(batch.firstRow * 784, (batch.firstRow + batch.n) * 784);
      for (let i = 0; i < expected.length; i++) if (expected[i] !== batch.data[i]) mismatches++;
      rows += batch.n;
    }
    expect([rows, mismatches]).toEqual([60000, 0]);
  });

  it('reads GloVe: 50,000 x 100 base, 1,000 queries, and "king" has its documented neighbours', async () => {
    const [base, queries, gt, words] = await Promise.all([
      readFvecs(glove('base-50k.fvecs.gz')),
      readFvecs(glove('queries-1k.fvecs.gz')),
      readIvecs(glove('gt-queries-1k-vs-base-50k-cosine-k100.ivecs.gz')),
      readFile(glove('base-50k.words.txt'), 'utf8'),
    ]);
    expect([base.n, base.dim, queries.n, queries.dim, gt.n, gt.dim]).toEqual([
      50000, 100, 1000, 100, 1000, 100,
    ]);
    const vocabulary = words.split('\n');
    const king = vocabulary.indexOf('king');
    const norm = (o: number) => Math.hypot(...base.data.subarray(o, o + 100));
    const kingNorm = norm(king * 100);
    const scored = Array.from({ length: base.n }, (_, i) => {
      let dot = 0;
      for (let j = 0; j < 100; j++) dot += base.data[king * 100 + j]! * base.data[i * 100 + j]!;
      return { i, cos: dot / (kingNorm * norm(i * 100)) };
    });
    scored.sort((a, b) => b.cos - a.cos);
    expect(scored.slice(0, 8).map((s) => vocabulary[s.i])).toEqual([
      'king',
      'prince',
      'queen',
      'son',
      'brother',
      'monarch',
      'throne',
      'kingdom',
    ]);
  });
});
