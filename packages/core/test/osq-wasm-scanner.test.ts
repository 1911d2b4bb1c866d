import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../src/distance/metric.ts';
import { encodeOsq } from '../src/osq/encode-osq.ts';
import { createOsqScanner } from '../src/osq/osq-scanner-factory.ts';
import { prepareOsqQuery } from '../src/osq/prepare-osq-query.ts';
import { trainOsq } from '../src/osq/train-osq.ts';
import { osqWasmUnavailableReason } from '../src/osq/wasm-osq-scanner.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/**
 * The WebAssembly OSQ scan (`assembly/osq-scan.ts`) against the TypeScript reference. Both sum in
 * float64 in the same order, so their outputs are identical, not merely close. Skipped (visibly)
 * while the packaged kernels module does not export the OSQ scan.
 */
const unavailable = osqWasmUnavailableReason();

function gaussianRows(random: SeededRandom, n: number, dim: number): Float32Array {
  return Float32Array.from({ length: n * dim }, (_, k) => random.nextGaussian() * 2 ** (-(k % dim) / 4));
}

describe('createOsqScanner', () => {
  it('builds the TypeScript reference on request and rejects unknown options', () => {
    const data = gaussianRows(new SeededRandom(1), 50, 8);
    const quantizer = trainOsq(data, 50, 8);
    const { codes } = encodeOsq(quantizer, data, 50);
    expect(createOsqScanner(quantizer, codes, 50, { backend: 'ts' }).backend).toBe('ts');
    expect(createOsqScanner(quantizer, codes, 50).backend).toBe(unavailable === undefined ? 'wasm' : 'ts');
    expect(() => createOsqScanner(quantizer, codes, 50, { fast: true } as never)).toThrow(
      /unknown option "fast"/,
    );
    expect(() => createOsqScanner(quantizer, codes.subarray(1), 50)).toThrow(/codes has/);
    if (unavailable !== undefined) {
      expect(() => createOsqScanner(quantizer, codes, 50, { backend: 'wasm' })).toThrow(
        expect.objectContaining({ code: 'WASM_UNAVAILABLE' }),
      );
    }
  });

  it('rejects tables prepared for another code layout', () => {
    const random = new SeededRandom(2);
    const data = gaussianRows(random, 40, 6);
    const narrow = trainOsq(data, 40, 6, { bitsPerVector: 12 });
    const wide = trainOsq(data, 40, 6, { bitsPerVector: 30 });
    const scanner = createOsqScanner(narrow, encodeOsq(narrow, data, 40).codes, 40);
    const tables = prepareOsqQuery(wide, data.subarray(0, 6), 'l2');
    expect(() => scanner.scan(tables, null, new Float32Array(40), null)).toThrow(/different code layout/);
  });
});

describe.skipIf(unavailable !== undefined)(
  `WebAssembly OSQ scan${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('gives outputs identical to the TypeScript reference for random layouts, metrics and row lists', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1e6 }),
          fc.integer({ min: 1, max: 300 }),
          fc.integer({ min: 1, max: 40 }),
          fc.double({ min: 0, max: 8, noNaN: true }),
          fc.constantFrom<Metric>('l2', 'ip', 'cosine'),
          (seed, n, dim, bitsPerDim, metric) => {
            const random = new SeededRandom(seed);
            const data = gaussianRows(random, n, dim);
            const quantizer = trainOsq(data, n, dim, { metric, bitsPerVector: Math.round(bitsPerDim * dim) });
            const { codes } = encodeOsq(quantizer, data, n);
            const ts = createOsqScanner(quantizer, codes, n, { backend: 'ts' });
            const wasm = createOsqScanner(quantizer, codes, n, { backend: 'wasm' });
            const tables = prepareOsqQuery(quantizer, gaussianRows(random, 1, dim), metric);
            const rowIds = Uint32Array.from({ length: 2 * n + 3 }, () => random.nextInt(n));
            for (const ids of [null, rowIds]) {
              const count = ids === null ? n : ids.length;
              const expected = [
                new Float32Array(count),
                new Float32Array(count),
                new Float32Array(count),
              ] as const;
              ts.scan(tables, ids, ...expected);
              const actual = [
                new Float32Array(count),
                new Float32Array(count),
                new Float32Array(count),
              ] as const;
              wasm.scan(tables, ids, ...actual);
              expect(actual).toEqual(expected);
              const adcOnly = new Float32Array(count);
              wasm.scan(tables, ids, null, adcOnly);
              expect(adcOnly).toEqual(expected[1]);
              const lowerOnly = new Float32Array(count);
              wasm.scan(tables, ids, lowerOnly, null);
              expect(lowerOnly).toEqual(expected[0]);
            }
          },
        ),
        { seed: 51, numRuns: 60 },
      );
    });

    it('rejects a row id out of range with INVALID_ARGUMENT', () => {
      const data = gaussianRows(new SeededRandom(3), 30, 5);
      const quantizer = trainOsq(data, 30, 5);
      const scanner = createOsqScanner(quantizer, encodeOsq(quantizer, data, 30).codes, 30, {
        backend: 'wasm',
      });
      const tables = prepareOsqQuery(quantizer, data.subarray(0, 5), 'l2');
      expect(() => scanner.scan(tables, Uint32Array.from([0, 30]), new Float32Array(2), null)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    });
  },
);
