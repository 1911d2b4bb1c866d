import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateBits } from '../src/osq/allocate-bits.ts';
import { trainOsq } from '../src/osq/train-osq.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/** The rule as written, O(budget x dim): give a bit to the largest energy, divide it by 4. */
function naiveAllocation(variances: number[], budget: number, caps?: number[]): number[] {
  const largest = Math.max(0, ...variances);
  const energy = variances.map((v) => (v > 1e-12 * largest ? v : 0));
  const bits = variances.map(() => 0);
  for (let spent = 0; spent < budget; spent++) {
    let best = -1;
    for (let j = 0; j < energy.length; j++) {
      const cap = Math.min(8, caps?.[j] ?? 8);
      if (energy[j]! > 0 && bits[j]! < cap && (best < 0 || energy[j]! > energy[best]!)) best = j;
    }
    if (best < 0) break;
    bits[best]!++;
    energy[best]! /= 4;
  }
  return bits;
}

const variancesArbitrary = fc.array(
  fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 4 })),
  { minLength: 1, maxLength: 40 },
);

describe('allocateBits', () => {
  it('gives each bit to the largest remaining energy and divides it by 4, ties to the lower dimension', () => {
    // 16 -> dim 0 (4); tie 4, 4 -> dim 0 (1); dim 1 (1); tie 1, 1, 1 -> dim 0.
    expect(Array.from(allocateBits([16, 4, 1, 0], 4))).toEqual([3, 1, 0, 0]);
  });

  it('matches the naive greedy rule on random variances and budgets', () => {
    fc.assert(
      fc.property(variancesArbitrary, fc.integer({ min: 0, max: 400 }), (variances, budget) => {
        expect(Array.from(allocateBits(variances, budget))).toEqual(naiveAllocation(variances, budget));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('spends exactly the budget unless every dimension with variance reaches 8 bits, and never more', () => {
    fc.assert(
      fc.property(variancesArbitrary, fc.integer({ min: 0, max: 400 }), (variances, budget) => {
        const bits = Array.from(allocateBits(variances, budget));
        const spent = bits.reduce((a, b) => a + b, 0);
        const capacity = 8 * variances.filter((v) => v > 0).length;
        expect(spent).toBe(Math.min(budget, capacity));
        for (const b of bits) expect(b).toBeLessThanOrEqual(8);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('gives no bits to zero-variance dimensions and at least as many to higher variance', () => {
    fc.assert(
      fc.property(variancesArbitrary, fc.integer({ min: 0, max: 400 }), (variances, budget) => {
        const bits = allocateBits(variances, budget);
        variances.forEach((v, j) => {
          if (v === 0) expect(bits[j]).toBe(0);
          variances.forEach((w, k) => {
            if (v > w) expect(bits[j]!).toBeGreaterThanOrEqual(bits[k]!);
          });
        });
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('respects per-dimension caps', () => {
    const bits = allocateBits([100, 50, 25], 12, { maxBitsPerDim: Uint8Array.from([2, 8, 0]) });
    expect(Array.from(bits)).toEqual(naiveAllocation([100, 50, 25], 12, [2, 8, 0]));
    expect(bits[0]).toBe(2);
    expect(bits[2]).toBe(0);
  });

  it('rejects a negative or fractional budget with INVALID_ARGUMENT', () => {
    expect(() => allocateBits([1], -1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => allocateBits([1], 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('trainOsq bit allocation', () => {
  it('uses exactly the bit budget and gives constant and few-valued dimensions no more bits than they can use', () => {
    const n = 500;
    const dim = 6;
    const random = new SeededRandom(5);
    const data = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      data[i * dim] = random.nextGaussian() * 10;
      data[i * dim + 1] = random.nextGaussian() * 5;
      data[i * dim + 2] = random.nextGaussian();
      data[i * dim + 3] = 7; // constant
      data[i * dim + 4] = 0; // constant
      data[i * dim + 5] = random.nextGaussian() * 0.1;
    }
    const quantizer = trainOsq(data, n, dim, { bitsPerVector: 17 });
    const bits = Array.from(quantizer.layout.bitsPerDim);
    expect(bits.reduce((a, b) => a + b, 0)).toBe(17);
    expect(quantizer.layout.totalBits).toBe(17);
    expect(quantizer.layout.bytesPerVector).toBe(3);
    // The two constant input dimensions become the two smallest-variance transformed dimensions.
    expect(bits.slice(4)).toEqual([0, 0]);
    expect(quantizer.variances[5]!).toBeLessThan(1e-6);
  });

  it('defaults to 4 bits per dimension, 1/8 of the float32 size', () => {
    const n = 2000;
    const dim = 16;
    const random = new SeededRandom(6);
    const data = Float32Array.from({ length: n * dim }, (_, k) => random.nextGaussian() * (1 + (k % dim)));
    const quantizer = trainOsq(data, n, dim);
    expect(quantizer.layout.totalBits).toBe(4 * dim);
    expect(quantizer.layout.bytesPerVector).toBeLessThanOrEqual((dim * 4) / 8);
  });
});
