import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScanner } from '../src/distance/create-scanner.ts';
import { METRICS } from '../src/distance/metric.ts';
import type { VectorScanner } from '../src/distance/vector-scanner.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';
import { exactSearch } from '../src/search/exact-search.ts';
import { compare } from '../src/search/top-k.ts';

const BACKENDS = ['ts', 'wasm'] as const;

/** Small-integer coordinates: many rows sit at exactly the same distance, so tie-breaks matter. */
function integerRows(seed: number, rows: number, dim: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: rows * dim }, () => random.nextInt(3) - 1);
}

/** The specification: measure every allowed row, sort by (distance, id), keep topK. */
function bruteForce(scanner: VectorScanner, query: Float32Array, topK: number, allowed?: number[]) {
  const all = new Float32Array(scanner.n);
  scanner.distancesToAll(query, all);
  const rows = allowed === undefined ? Array.from({ length: scanner.n }, (_, i) => i) : [...new Set(allowed)];
  const kept = rows.sort((a, b) => compare(all[a]!, a, all[b]!, b)).slice(0, topK);
  return { ids: kept, distances: kept.map((i) => all[i]!) };
}

const searchArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 1, max: 120 }),
  dim: fc.integer({ min: 1, max: 40 }),
  topK: fc.integer({ min: 1, max: 150 }),
  metric: fc.constantFrom(...METRICS),
  backend: fc.constantFrom(...BACKENDS),
});

describe('exactSearch', () => {
  it('returns the topK nearest rows in ascending distance, ties by lower id', () => {
    fc.assert(
      fc.property(searchArbitrary, ({ seed, n, dim, topK, metric, backend }) => {
        const base = integerRows(seed, n, dim);
        const query = integerRows(seed + 1, 1, dim);
        const scanner = createScanner(metric, base, dim, { backend });
        expect(exactSearch(scanner, query, { topK })).toEqual(bruteForce(scanner, query, topK));
      }),
      { seed: 31_337, numRuns: 300 },
    );
  });

  it('searches only allowRowIds, whatever their order and duplicates', () => {
    fc.assert(
      fc.property(searchArbitrary, fc.array(fc.nat(), { maxLength: 150 }), (args, picks) => {
        const { seed, n, dim, topK, metric, backend } = args;
        const base = integerRows(seed, n, dim);
        const query = integerRows(seed + 1, 1, dim);
        const scanner = createScanner(metric, base, dim, { backend });
        const allowed = picks.map((p) => p % n);
        const hits = exactSearch(scanner, query, { topK, allowRowIds: Uint32Array.from(allowed) });
        expect(hits).toEqual(bruteForce(scanner, query, topK, allowed));
      }),
      { seed: 31_338, numRuns: 300 },
    );
  });

  it.each(BACKENDS)('returns every row when topK > n (%s backend)', (backend) => {
    const scanner = createScanner('l2', Float32Array.of(3, 1, 2, 1), 1, { backend });
    expect(exactSearch(scanner, Float32Array.of(0), { topK: 10 })).toEqual({
      ids: [1, 3, 2, 0],
      distances: [1, 1, 4, 9],
    });
  });

  it.each(BACKENDS)('returns every allowed row once when topK exceeds them (%s backend)', (backend) => {
    const scanner = createScanner('l2', Float32Array.of(3, 1, 2, 1), 1, { backend });
    const allowRowIds = Uint32Array.of(2, 0, 2, 0, 2);
    expect(exactSearch(scanner, Float32Array.of(0), { topK: 10, allowRowIds })).toEqual({
      ids: [2, 0],
      distances: [4, 9],
    });
    expect(exactSearch(scanner, Float32Array.of(0), { topK: 3, allowRowIds: new Uint32Array(0) })).toEqual({
      ids: [],
      distances: [],
    });
  });

  it.each(BACKENDS)('rejects an allowRowIds entry outside [0, n) with INVALID_ARGUMENT (%s)', (backend) => {
    const scanner = createScanner('ip', new Float32Array(6), 2, { backend });
    expect(() =>
      exactSearch(scanner, new Float32Array(2), { topK: 1, allowRowIds: Uint32Array.of(0, 3, 1) }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        argument: 'allowRowIds',
        message: 'allowRowIds contains 3; allowed: row ids 0..2',
      }),
    );
  });

  it.each(BACKENDS)('rejects a query of another dimension with DIMENSION_MISMATCH (%s)', (backend) => {
    const scanner = createScanner('cosine', new Float32Array(6), 3, { backend });
    expect(() => exactSearch(scanner, new Float32Array(4), { topK: 1 })).toThrow(
      expect.objectContaining({
        code: 'DIMENSION_MISMATCH',
        expectedDim: 3,
        actualDim: 4,
        message: 'query vector has 4 dimensions; the data has 3',
      }),
    );
  });

  it('rejects a topK that is not an integer >= 1', () => {
    const scanner = createScanner('l2', new Float32Array(4), 2);
    for (const topK of [0, -1, 2.5, Number.NaN]) {
      expect(() => exactSearch(scanner, new Float32Array(2), { topK })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'topK' }),
      );
    }
  });
});
