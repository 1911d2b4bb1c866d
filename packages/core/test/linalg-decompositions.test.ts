import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors/index.ts';
import { multiplyMatrices, symmetricEigen, thinQr, transposeMatrix } from '../src/linalg/index.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

function gaussian(length: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  return Float64Array.from({ length }, () => random.nextGaussian());
}

/** A^T A for a random A: symmetric positive semi-definite, dim x dim. */
function randomSymmetric(dim: number, seed: number): Float64Array {
  const a = gaussian(dim * dim, seed);
  return multiplyMatrices(transposeMatrix(a, dim, dim), dim, dim, a, dim);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

function identity(dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) out[i * dim + i] = 1;
  return out;
}

describe('multiplyMatrices and transposeMatrix', () => {
  it('match the definition of the matrix product', () => {
    const a = gaussian(3 * 5, 1);
    const b = gaussian(5 * 2, 2);
    const product = multiplyMatrices(a, 3, 5, b, 2);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        let sum = 0;
        for (let k = 0; k < 5; k++) sum += a[i * 5 + k]! * b[k * 2 + j]!;
        expect(product[i * 2 + j]).toBeCloseTo(sum, 12);
      }
    }
    expect(transposeMatrix(transposeMatrix(a, 3, 5), 5, 3)).toEqual(a);
    expect(transposeMatrix(a, 3, 5)[4 * 3 + 2]).toBe(a[2 * 5 + 4]);
  });

  it('rejects operands whose length does not match their dimensions', () => {
    expect(() => multiplyMatrices(new Float64Array(6), 2, 3, new Float64Array(5), 2)).toThrow(
      /b has 5 values/,
    );
  });
});

describe('symmetricEigen', () => {
  it('returns orthonormal eigenvectors with A V = V diag(values), values descending', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 1000 }), (dim, seed) => {
        const a = randomSymmetric(dim, seed);
        const { values, vectors } = symmetricEigen(a, dim);
        const scale = Math.max(1, Math.abs(values[0]!));
        const av = multiplyMatrices(a, dim, dim, vectors, dim);
        const vl = vectors.map((v, index) => v * values[index % dim]!);
        expect(maxAbsDifference(av, vl)).toBeLessThan(1e-9 * scale);
        const vtv = multiplyMatrices(transposeMatrix(vectors, dim, dim), dim, dim, vectors, dim);
        expect(maxAbsDifference(vtv, identity(dim))).toBeLessThan(1e-10);
        for (let j = 1; j < dim; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
      }),
      { seed: 7, numRuns: 40 },
    );
  });

  it('makes the largest entry of every eigenvector positive', () => {
    const dim = 10;
    const { vectors } = symmetricEigen(randomSymmetric(dim, 3), dim);
    for (let j = 0; j < dim; j++) {
      const column = Array.from({ length: dim }, (_, i) => vectors[i * dim + j]!);
      const largest = column.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('finds the known spectrum of a diagonal matrix, including a zero eigenvalue', () => {
    const a = Float64Array.from([2, 0, 0, 0, 0, 0, 0, 0, 5]);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(Array.from(values)).toEqual([5, 2, 0]);
    expect(Math.abs(vectors[2 * 3 + 0]!)).toBeCloseTo(1, 12);
  });

  it('rejects a non-symmetric matrix with INVALID_ARGUMENT', () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    expect(() => symmetricEigen(a, 2)).toThrow(InvalidArgumentError);
    expect(() => symmetricEigen(a, 2)).toThrow(/entry \(0, 1\) is 2 but \(1, 0\) is 3/);
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/needs 4/);
  });
});

describe('thinQr', () => {
  it('factors a tall matrix into orthonormal Q and upper-triangular R with a non-negative diagonal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 6 }),
        fc.nat(1000),
        (cols, extra, seed) => {
          const rows = cols + extra;
          const m = gaussian(rows * cols, seed);
          const { q, r } = thinQr(m, rows, cols);
          expect(maxAbsDifference(multiplyMatrices(q, rows, cols, r, cols), m)).toBeLessThan(1e-10);
          const qtq = multiplyMatrices(transposeMatrix(q, rows, cols), cols, rows, q, cols);
          expect(maxAbsDifference(qtq, identity(cols))).toBeLessThan(1e-10);
          for (let i = 0; i < cols; i++) {
            expect(r[i * cols + i]!).toBeGreaterThanOrEqual(0);
            for (let j = 0; j < i; j++) expect(r[i * cols + j]).toBe(0);
          }
        },
      ),
      { seed: 11, numRuns: 40 },
    );
  });

  it('rejects a wide matrix', () => {
    expect(() => thinQr(new Float64Array(6), 2, 3)).toThrow(/rows is 2; allowed: an integer >= 3/);
  });
});
