import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScanner } from '../src/distance/create-scanner.ts';
import { METRICS, type Metric } from '../src/distance/metric.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

interface Case {
  readonly n: number;
  readonly dim: number;
  readonly base: Float32Array;
  readonly query: Float32Array;
}

/**
 * A random matrix whose rows mix the awkward cases: magnitudes from 1e-3 to 1e3, exact zero rows,
 * a copy of the query (distance ~0), its negation, and small integers (many exact ties).
 */
function randomCase(seed: number, n: number, dim: number): Case {
  const random = new SeededRandom(seed);
  const scale = 10 ** (random.nextInt(7) - 3);
  const query = Float32Array.from({ length: dim }, () => random.nextGaussian() * scale);
  const base = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const kind = random.nextInt(6);
    for (let j = 0; j < dim; j++) {
      const at = i * dim + j;
      if (kind === 0) base[at] = 0;
      else if (kind === 1) base[at] = query[j]!;
      else if (kind === 2) base[at] = -query[j]!;
      else if (kind === 3) base[at] = random.nextInt(5) - 2;
      else base[at] = random.nextGaussian() * scale;
    }
  }
  return { n, dim, base, query };
}

/**
 * Largest float32-rounding gap allowed between two correct implementations: a relative 1e-5 of
 * the sum of absolute terms (float32 has 24 bits; dims up to 300 sum in at most ~25 steps per lane).
 */
function tolerance(
  metric: Metric,
  query: Float32Array,
  base: Float32Array,
  row: number,
  dim: number,
): number {
  let absTerms = 0;
  let qq = 0;
  let xx = 0;
  for (let j = 0; j < dim; j++) {
    const q = query[j]!;
    const x = base[row * dim + j]!;
    absTerms += metric === 'l2' ? (q - x) ** 2 : Math.abs(q * x);
    qq += q * q;
    xx += x * x;
  }
  if (metric !== 'cosine') return 1e-5 * absTerms;
  return qq === 0 || xx === 0 ? 0 : 1e-5 * (absTerms / Math.sqrt(qq * xx)) + 1e-6;
}

const caseArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 1, max: 40 }),
  dim: fc.integer({ min: 1, max: 300 }),
});

describe.each(METRICS)('WasmVectorScanner under %s', (metric) => {
  it('agrees with the TypeScript reference on every row for dims 1..300', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ seed, n, dim }) => {
        const { base, query } = randomCase(seed, n, dim);
        const expected = new Float32Array(n);
        const actual = new Float32Array(n);
        createScanner(metric, base, dim, { backend: 'ts' }).distancesToAll(query, expected);
        createScanner(metric, base, dim, { backend: 'wasm' }).distancesToAll(query, actual);
        for (let i = 0; i < n; i++) {
          expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(
            tolerance(metric, query, base, i, dim),
          );
        }
      }),
      { seed: 20_250_101, numRuns: 150 },
    );
  });

  it('agrees with the TypeScript reference on row subsets in any order, with duplicates', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.integer({ min: 0, max: 80 }), ({ seed, n, dim }, count) => {
        const { base, query } = randomCase(seed, n, dim);
        const random = new SeededRandom(seed ^ 0x5bd1e995);
        const rowIds = Uint32Array.from({ length: count }, () => random.nextInt(n));
        const expected = new Float32Array(count);
        const actual = new Float32Array(count);
        createScanner(metric, base, dim, { backend: 'ts' }).distancesToRows(query, rowIds, expected);
        createScanner(metric, base, dim, { backend: 'wasm' }).distancesToRows(query, rowIds, actual);
        for (let j = 0; j < count; j++) {
          const bound = tolerance(metric, query, base, rowIds[j]!, dim);
          expect(Math.abs(actual[j]! - expected[j]!)).toBeLessThanOrEqual(bound);
        }
      }),
      { seed: 20_250_102, numRuns: 150 },
    );
  });

  it('answers later queries on the same scanner as a fresh scanner does', () => {
    const { n, dim, base } = randomCase(7, 50, 37);
    const scanner = createScanner(metric, base, dim, { backend: 'wasm' });
    for (let seed = 0; seed < 5; seed++) {
      const { query } = randomCase(100 + seed, 1, dim);
      const reused = new Float32Array(n);
      const fresh = new Float32Array(n);
      scanner.distancesToAll(query, reused);
      createScanner(metric, base, dim, { backend: 'wasm' }).distancesToAll(query, fresh);
      expect(reused).toEqual(fresh);
    }
  });

  it('grows its scratch when rowIds is longer than any list before, and keeps answering', () => {
    const { n, dim, base, query } = randomCase(11, 10, 20);
    const scanner = createScanner(metric, base, dim, { backend: 'wasm' });
    const reference = createScanner(metric, base, dim, { backend: 'ts' });
    for (const count of [3, 10_000, 5, 250_000]) {
      const rowIds = Uint32Array.from({ length: count }, (_, j) => (j * 7) % n);
      const actual = new Float32Array(count);
      const expected = new Float32Array(count);
      scanner.distancesToRows(query, rowIds, actual);
      reference.distancesToRows(query, rowIds, expected);
      for (let j = 0; j < count; j += 997) {
        expect(actual[j]).toBeCloseTo(expected[j]!, 3);
      }
    }
    const all = new Float32Array(n);
    scanner.distancesToAll(query, all);
    const expectedAll = new Float32Array(n);
    reference.distancesToAll(query, expectedAll);
    for (let i = 0; i < n; i++) expect(all[i]).toBeCloseTo(expectedAll[i]!, 3);
  });
});

describe('WasmVectorScanner', () => {
  it('reports backend wasm, n and dim', () => {
    const scanner = createScanner('l2', new Float32Array(12), 3, { backend: 'wasm' });
    expect(scanner).toMatchObject({ backend: 'wasm', metric: 'l2', n: 4, dim: 3 });
  });

  it('scans an empty matrix without error', () => {
    const scanner = createScanner('cosine', new Float32Array(0), 5, { backend: 'wasm' });
    expect(scanner.n).toBe(0);
    scanner.distancesToAll(new Float32Array(5), new Float32Array(0));
    scanner.distancesToRows(new Float32Array(5), new Uint32Array(0), new Float32Array(0));
  });

  it('keeps its own copy: later writes to base do not change its distances', () => {
    const base = Float32Array.of(1, 2, 3, 4);
    const scanner = createScanner('l2', base, 2, { backend: 'wasm' });
    base.fill(100);
    const out = new Float32Array(2);
    scanner.distancesToAll(Float32Array.of(0, 0), out);
    expect(Array.from(out)).toEqual([5, 25]);
  });

  it('keeps one memory per scanner, so two scanners do not disturb each other', () => {
    const first = createScanner('ip', Float32Array.of(1, 0, 0, 1), 2, { backend: 'wasm' });
    const second = createScanner('ip', Float32Array.of(2, 2, 3, 3, 4, 4), 2, { backend: 'wasm' });
    const out1 = new Float32Array(2);
    const out2 = new Float32Array(3);
    first.distancesToAll(Float32Array.of(1, 2), out1);
    second.distancesToAll(Float32Array.of(1, 1), out2);
    first.distancesToAll(Float32Array.of(1, 2), out1);
    expect(Array.from(out1)).toEqual([-1, -2]);
    expect(Array.from(out2)).toEqual([-4, -6, -8]);
  });

  it('writes only the first n (or rowIds.length) entries of a longer out array', () => {
    const scanner = createScanner('l2', Float32Array.of(0, 1, 2), 1, { backend: 'wasm' });
    const out = new Float32Array(5).fill(-7);
    scanner.distancesToAll(Float32Array.of(1), out);
    expect(Array.from(out)).toEqual([1, 0, 1, -7, -7]);
    scanner.distancesToRows(Float32Array.of(0), Uint32Array.of(2), out);
    expect(Array.from(out)).toEqual([4, 0, 1, -7, -7]);
  });

  it('rejects a query of the wrong dimension with DIMENSION_MISMATCH', () => {
    const scanner = createScanner('l2', new Float32Array(8), 4, { backend: 'wasm' });
    expect(() => scanner.distancesToAll(new Float32Array(3), new Float32Array(2))).toThrow(
      expect.objectContaining({
        code: 'DIMENSION_MISMATCH',
        message: 'query vector has 3 dimensions; the data has 4',
      }),
    );
    expect(() =>
      scanner.distancesToRows(new Float32Array(5), Uint32Array.of(0), new Float32Array(1)),
    ).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('rejects a row id >= n with INVALID_ARGUMENT naming its position and value', () => {
    const scanner = createScanner('cosine', new Float32Array(8).fill(1), 4, { backend: 'wasm' });
    expect(() =>
      scanner.distancesToRows(new Float32Array(4), Uint32Array.of(1, 0, 2), new Float32Array(3)),
    ).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'rowIds[2] is 2; allowed: row ids 0..1' }),
    );
  });

  it('rejects an out array shorter than the result with INVALID_ARGUMENT', () => {
    const scanner = createScanner('l2', new Float32Array(8), 2, { backend: 'wasm' });
    expect(() => scanner.distancesToAll(new Float32Array(2), new Float32Array(3))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'out has length 3; allowed: at least 4' }),
    );
  });

  it('holds a 60,000 x 784 matrix (188 MB) by growing its memory', () => {
    const n = 60_000;
    const dim = 784;
    const base = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) base[i * dim + (i % dim)] = i;
    const scanner = createScanner('l2', base, dim, { backend: 'wasm' });
    const out = new Float32Array(n);
    const query = new Float32Array(dim);
    scanner.distancesToAll(query, out);
    for (const i of [0, 1, 30_000, n - 1]) expect(out[i]).toBe(Math.fround(i * i));
    scanner.distancesToRows(query, Uint32Array.of(n - 1, 2), out);
    expect(out[0]).toBe(Math.fround((n - 1) ** 2));
    expect(out[1]).toBe(4);
  });
});
