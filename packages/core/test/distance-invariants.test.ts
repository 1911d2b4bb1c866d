import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScanner } from '../src/distance/create-scanner.ts';
import type { Metric } from '../src/distance/metric.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

const BACKENDS = ['ts', 'wasm'] as const;

function gaussianRows(seed: number, rows: number, dim: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: rows * dim }, () => random.nextGaussian());
}

function distances(
  metric: Metric,
  backend: 'ts' | 'wasm',
  base: Float32Array,
  dim: number,
  query: Float32Array,
) {
  const scanner = createScanner(metric, base, dim, { backend });
  const out = new Float32Array(scanner.n);
  scanner.distancesToAll(query, out);
  return out;
}

const pairArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  dim: fc.integer({ min: 1, max: 300 }),
});

describe.each(BACKENDS)('distance invariants (%s backend)', (backend) => {
  it('l2 is symmetric, non-negative and zero from a row to itself', () => {
    fc.assert(
      fc.property(pairArbitrary, ({ seed, dim }) => {
        const rows = gaussianRows(seed, 2, dim);
        const a = rows.subarray(0, dim);
        const b = rows.subarray(dim);
        const fromA = distances('l2', backend, rows, dim, a);
        const fromB = distances('l2', backend, rows, dim, b);
        expect(fromA[1]).toBe(fromB[0]);
        expect(fromA[0]).toBe(0);
        expect(fromB[1]).toBe(0);
        expect(fromA[1]).toBeGreaterThanOrEqual(0);
      }),
      { seed: 17, numRuns: 100 },
    );
  });

  it('ip reports the negative inner product: negative toward itself, positive toward its opposite', () => {
    fc.assert(
      fc.property(pairArbitrary, ({ seed, dim }) => {
        const query = gaussianRows(seed, 1, dim);
        const base = new Float32Array(2 * dim);
        base.set(query, 0);
        base.set(
          query.map((v) => -v),
          dim,
        );
        const out = distances('ip', backend, base, dim, query);
        let dot = 0;
        for (const v of query) dot += v * v;
        expect(out[0]).toBeLessThan(0);
        expect(out[1]).toBeGreaterThan(0);
        expect(out[0]).toBeCloseTo(-dot, 2);
        expect(out[1]).toBe(-out[0]!);
      }),
      { seed: 18, numRuns: 100 },
    );
  });

  it('cosine lies in [0, 2], is ~0 toward a positive multiple and ~2 toward a negative one', () => {
    fc.assert(
      fc.property(pairArbitrary, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), ({ seed, dim }, scale) => {
        const query = gaussianRows(seed, 1, dim);
        const base = new Float32Array(3 * dim);
        base.set(
          query.map((v) => v * scale),
          0,
        );
        base.set(
          query.map((v) => -v * scale),
          dim,
        );
        base.set(gaussianRows(seed + 1, 1, dim), 2 * dim);
        const out = distances('cosine', backend, base, dim, query);
        expect(out[0]).toBeCloseTo(0, 5);
        expect(out[1]).toBeCloseTo(2, 5);
        for (const d of out) {
          expect(d).toBeGreaterThanOrEqual(-1e-6);
          expect(d).toBeLessThanOrEqual(2 + 1e-6);
        }
      }),
      { seed: 19, numRuns: 100 },
    );
  });

  it('cosine puts a zero vector at distance exactly 1 from everything, itself included', () => {
    for (const dim of [1, 3, 4, 17, 128]) {
      const base = gaussianRows(dim, 3, dim);
      base.fill(0, dim, 2 * dim);
      const zero = new Float32Array(dim);
      expect(Array.from(distances('cosine', backend, base, dim, zero))).toEqual([1, 1, 1]);
      expect(distances('cosine', backend, base, dim, base.subarray(0, dim))[1]).toBe(1);
    }
  });

  it('cosine treats tiny and huge vectors by direction, not as zero or overflow', () => {
    const dim = 9;
    const direction = gaussianRows(5, 1, dim);
    for (const scale of [1e-30, 1e-20, 1e20, 1e30]) {
      const base = direction.map((v) => v * scale);
      const query = direction.map((v) => v / scale);
      const out = distances('cosine', backend, base, dim, query);
      expect(out[0]).toBeCloseTo(0, 5);
    }
  });
});
