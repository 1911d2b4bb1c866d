import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOsqScanner, encodeOsq, prepareOsqQuery, SeededRandom, trainOsq } from '../src/index.ts';
import { prepareOsqQueryImpl } from '../src/osq/prepare-osq-query.ts';

function dataset(seed: number, n: number, dim: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: n * dim }, (_, i) => random.nextGaussian() * (1 + (i % dim)));
}

describe('segment-major ADC scan', () => {
  for (const backend of ['ts', 'wasm'] as const) {
    it(`equals the ADC output of the full scan within float32 rounding (${backend})`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 8 }),
          fc.integer(),
          (dim, bitsPerDim, seed) => {
            const n = 300;
            const data = dataset(seed, n, dim);
            const quantizer = trainOsq(data, n, dim, { bitsPerVector: bitsPerDim * dim, seed: 1 });
            const codes = encodeOsq(quantizer, data, n);
            const scanner = createOsqScanner(quantizer, codes.codes, n, { backend });
            const query = data.subarray(0, dim);
            const full = new Float32Array(n);
            scanner.scan(prepareOsqQuery(quantizer, query), null, null, full);
            const fast = new Float32Array(n);
            const adcOnly = prepareOsqQueryImpl(quantizer, query, quantizer.metric, true);
            scanner.scanAdc(adcOnly, null, fast);
            const rows = Uint32Array.from([5, 0, 299, 5, 17]);
            const picked = new Float32Array(rows.length);
            scanner.scanAdc(adcOnly, rows, picked);
            for (let i = 0; i < n; i++)
              expect(fast[i]).toBeCloseTo(
                full[i]!,
                Math.max(0, 3 - Math.ceil(Math.log10(Math.abs(full[i]!) + 1))),
              );
            rows.forEach((row, k) => {
              expect(picked[k]).toBe(fast[row]);
            });
          },
        ),
        { numRuns: 40, seed: 17 },
      );
    });
  }

  it('rejects a bounds scan over tables prepared for ADC only', () => {
    const data = dataset(3, 50, 8);
    const quantizer = trainOsq(data, 50, 8);
    const scanner = createOsqScanner(quantizer, encodeOsq(quantizer, data, 50).codes, 50, { backend: 'ts' });
    const tables = prepareOsqQueryImpl(quantizer, data.subarray(0, 8), quantizer.metric, true);
    expect(() => scanner.scan(tables, null, new Float32Array(50), null)).toThrow(/adcOnly/);
  });
});
