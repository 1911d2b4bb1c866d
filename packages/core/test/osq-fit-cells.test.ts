import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitCellsImpl } from '../src/osq/fit-cells.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

const OPTIONS = { maxIterations: 250, relativeTolerance: 0.005 };

function sortedSample(seed: number, n: number, draw: (random: SeededRandom) => number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => draw(random)).sort();
}

/** Squared error of `sorted` against the cells and representatives, assigning by the thresholds. */
function distortionOf(sorted: Float32Array, thresholds: Float64Array, representatives: Float64Array): number {
  let total = 0;
  for (const x of sorted) {
    let cell = 0;
    while (cell < thresholds.length && thresholds[cell]! <= x) cell++;
    total += (x - representatives[cell]!) ** 2;
  }
  return total;
}

describe('fitCellsImpl (1-D Lloyd-Max)', () => {
  it('lowers the distortion of the equal-population start on skewed data', () => {
    const sorted = sortedSample(1, 5000, (r) => Math.exp(1.5 * r.nextGaussian()));
    const fitted = fitCellsImpl(sorted, 16, OPTIONS, new SeededRandom(0));
    expect(fitted.iterations).toBeGreaterThan(0);
    expect(fitted.distortion).toBeLessThan(0.8 * fitted.initialDistortion);
    expect(fitted.distortion).toBeCloseTo(distortionOf(sorted, fitted.thresholds, fitted.representatives), 2);
  });

  it('never ends above the equal-population distortion and keeps representatives inside their cells', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 8 }), (seed, bits) => {
        const sorted = sortedSample(seed, 300, (r) =>
          r.nextFloat() < 0.3 ? Math.round(r.nextGaussian() * 3) : r.nextGaussian(),
        );
        const cells = 1 << bits;
        const fitted = fitCellsImpl(sorted, cells, OPTIONS, new SeededRandom(seed));
        expect(fitted.thresholds.length).toBe(cells - 1);
        expect(fitted.representatives.length).toBe(cells);
        expect(fitted.distortion).toBeLessThanOrEqual(fitted.initialDistortion * (1 + 1e-9) + 1e-9);
        for (let c = 0; c < cells; c++) {
          if (c > 0) expect(fitted.thresholds[c - 1]!).toBeLessThanOrEqual(fitted.representatives[c]! + 1e-6);
          if (c < cells - 1)
            expect(fitted.representatives[c]!).toBeLessThanOrEqual(fitted.thresholds[c]! + 1e-6);
          if (c > 1) expect(fitted.thresholds[c - 2]!).toBeLessThanOrEqual(fitted.thresholds[c - 1]!);
        }
      }),
      { seed: 21, numRuns: 60 },
    );
  });

  it('stores thresholds at float32 precision', () => {
    const sorted = sortedSample(2, 1000, (r) => r.nextGaussian());
    const fitted = fitCellsImpl(sorted, 8, OPTIONS, new SeededRandom(0));
    for (const t of fitted.thresholds) expect(Math.fround(t)).toBe(t);
  });

  it('re-seeds empty cells so heavily tied data still uses every distinct value', () => {
    // 8 distinct values, 90% of them zero: equal-population cells start mostly empty.
    const sorted = sortedSample(3, 2000, (r) => (r.nextFloat() < 0.9 ? 0 : 1 + r.nextInt(7)));
    const fitted = fitCellsImpl(sorted, 8, OPTIONS, new SeededRandom(0));
    expect(fitted.initialDistortion).toBeGreaterThan(0);
    expect(fitted.distortion).toBeLessThan(1e-9 * fitted.initialDistortion);
  });

  it('is deterministic for a seed', () => {
    const sorted = sortedSample(4, 3000, (r) => (r.nextFloat() < 0.5 ? 0 : r.nextGaussian()));
    const a = fitCellsImpl(sorted, 32, OPTIONS, new SeededRandom(9));
    const b = fitCellsImpl(sorted, 32, OPTIONS, new SeededRandom(9));
    expect(a).toEqual(b);
  });

  it('stops within the iteration cap', () => {
    const sorted = sortedSample(5, 3000, (r) => Math.exp(r.nextGaussian()));
    const fitted = fitCellsImpl(sorted, 64, { maxIterations: 3, relativeTolerance: 0 }, new SeededRandom(0));
    expect(fitted.iterations).toBe(3);
    const none = fitCellsImpl(sorted, 64, { maxIterations: 0, relativeTolerance: 0 }, new SeededRandom(0));
    expect(none.distortion).toBe(none.initialDistortion);
  });
});
