import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../src/distance/metric.ts';
import { encodeOsq } from '../src/osq/encode-osq.ts';
import { fastScanCodeOf, fastScanLayoutOf } from '../src/osq/fast-scan-layout.ts';
import { type FastScanTables, prepareFastScanQuery } from '../src/osq/fast-scan-tables.ts';
import { FastScanner } from '../src/osq/fast-scanner.ts';
import type { OsqQuantizer } from '../src/osq/osq-quantizer.ts';
import { prepareOsqQuery } from '../src/osq/prepare-osq-query.ts';
import { scanOsq } from '../src/osq/scan-osq.ts';
import { trainOsq } from '../src/osq/train-osq.ts';
import { fastScanWasmUnavailableReason } from '../src/osq/wasm-fast-scan-kernel.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/**
 * The fast scan (4-bit groups, uint8 tables, 16-bit sums) against exact ADC and brute force: the
 * TypeScript reference and the WebAssembly kernel select identical rows; dequantised sums agree
 * with the OSQ ADC estimate within the quantisation bound; the selection is the exact top-keep of
 * the summed estimates (ties to the lower row) among the rows a mask allows.
 */
const unavailable = fastScanWasmUnavailableReason();

function gaussianRows(random: SeededRandom, n: number, dim: number): Float32Array {
  return Float32Array.from({ length: n * dim }, (_, k) => random.nextGaussian() * 2 ** (-(k % dim) / 4));
}

interface Fixture {
  readonly quantizer: OsqQuantizer;
  readonly codes: Uint8Array;
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
  readonly metric: Metric;
}

function fixture(
  seed: number,
  n: number,
  dim: number,
  bitsPerDim: number,
  maxBitsPerDim: number,
  metric: Metric,
): Fixture {
  const random = new SeededRandom(seed);
  const data = gaussianRows(random, n, dim);
  const quantizer = trainOsq(data, n, dim, {
    metric,
    bitsPerVector: Math.round(bitsPerDim * dim),
    maxBitsPerDim,
  });
  return { quantizer, codes: encodeOsq(quantizer, data, n).codes, data, n, dim, metric };
}

/** Summed uint8 estimate of every row, by brute force over the packed codes. */
function bruteSums(scanner: FastScanner, packed: Uint8Array, tables: FastScanTables): number[] {
  const { groups } = scanner.layout;
  return Array.from({ length: scanner.n }, (_, i) => {
    let sum = 0;
    for (let g = 0; g < groups; g++) sum += tables.lut[g * 16 + fastScanCodeOf(packed, groups, i, g)]!;
    return Math.min(sum, 0xffff);
  });
}

function packedCodesOf(scanner: FastScanner): Uint8Array {
  return (scanner as unknown as { codes: Uint8Array }).codes;
}

const metrics: readonly Metric[] = ['l2', 'ip', 'cosine'];

describe('fastScanLayoutOf', () => {
  it('puts every coded dimension in exactly one group of at most 4 bits, dropping only bits above 4', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 80 }), (bits) => {
        const bitsPerDim = Uint8Array.from(bits);
        const layout = fastScanLayoutOf({
          bitsPerDim,
          bitOffsets: new Uint32Array(bits.length),
          totalBits: 0,
          bytesPerVector: 0,
        });
        const seen = new Map<number, number>();
        for (let g = 0; g < layout.groups; g++) {
          let width = 0;
          for (let m = layout.memberStarts[g]!; m < layout.memberStarts[g + 1]!; m++) {
            const j = layout.memberDims[m]!;
            seen.set(j, (seen.get(j) ?? 0) + 1);
            expect(layout.memberShifts[m]).toBe(width);
            width += layout.memberWidths[m]!;
            expect(layout.memberWidths[m]! + layout.memberDrops[m]!).toBe(bitsPerDim[j]);
          }
          expect(width).toBeLessThanOrEqual(4);
        }
        for (let j = 0; j < bits.length; j++) expect(seen.get(j) ?? 0).toBe(bits[j]! > 0 ? 1 : 0);
        expect(layout.lossless).toBe(bits.every((b) => b <= 4));
        // First-fit decreasing wastes less than a group per width class.
        const needed = Math.ceil(bits.reduce((sum, b) => sum + Math.min(b, 4), 0) / 4);
        expect(layout.groups).toBeLessThanOrEqual(needed + 3);
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});

describe('fast-scan tables', () => {
  it.each(metrics)(
    'agree with the OSQ ADC estimate within the quantisation bound (%s, lossless)',
    (metric) => {
      const { quantizer, codes, data, n, dim } = fixture(3, 300, 24, 3, 4, metric);
      const layout = fastScanLayoutOf(quantizer.layout);
      expect(layout.lossless).toBe(true);
      const scanner = FastScanner.create(quantizer, codes, n, { backend: 'ts' });
      const packed = packedCodesOf(scanner);
      let unsaturated = 0;
      for (let q = 0; q < 5; q++) {
        const query = data.subarray(q * dim, (q + 1) * dim).map((v, j) => v + 0.1 * Math.sin(q + j));
        const tables = prepareFastScanQuery(quantizer, query, metric);
        const adc = new Float32Array(n);
        scanOsq(prepareOsqQuery(quantizer, query, metric), codes, n, null, null, adc);
        const sums = bruteSums(scanner, packed, tables);
        let largest = 0;
        for (let i = 0; i < n; i++) {
          let exact = tables.constant;
          for (let g = 0; g < layout.groups; g++)
            exact += tables.values[g * 16 + fastScanCodeOf(packed, layout.groups, i, g)]!;
          // The float tables are the ADC estimate itself (lossless layout) ...
          expect(exact).toBeCloseTo(adc[i]!, 4);
          // ... and the dequantised uint8 sum is within groups / (2 scale) of it, or below it
          // when one of the row's entries saturated.
          let saturated = false;
          for (let g = 0; g < layout.groups; g++) {
            const group = tables.values.subarray(g * 16, g * 16 + 16);
            const entry = group[fastScanCodeOf(packed, layout.groups, i, g)]!;
            if (entry - Math.min(...group) > tables.saturation * (1 - 1e-9)) saturated = true;
          }
          const estimate = tables.offset + sums[i]! / tables.scale;
          const bound = tables.maxError * (1 + 1e-9) + 1e-9;
          if (saturated) expect(estimate - exact).toBeLessThanOrEqual(bound);
          else expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(bound);
          if (!saturated) unsaturated++;
          largest = Math.max(largest, Math.abs(estimate - exact));
        }
        expect(largest).toBeGreaterThan(0);
      }
      // Saturation is for outliers: most rows keep the bound.
      expect(unsaturated).toBeGreaterThan(0.5 * 5 * n);
    },
  );

  it('rank lossy layouts (dimensions above 4 bits) close to the ADC order', () => {
    const { quantizer, codes, data, n, dim } = fixture(4, 600, 16, 5, 8, 'l2');
    expect(fastScanLayoutOf(quantizer.layout).lossless).toBe(false);
    const scanner = FastScanner.create(quantizer, codes, n, { backend: 'ts' });
    const query = data.subarray(0, dim);
    const adc = new Float32Array(n);
    scanOsq(prepareOsqQuery(quantizer, query, 'l2'), codes, n, null, null, adc);
    const [selection] = scanner.select([
      { tables: prepareFastScanQuery(quantizer, query), mask: null, keep: 60 },
    ]);
    const adcTop = Array.from(adc.keys())
      .sort((a, b) => adc[a]! - adc[b]! || a - b)
      .slice(0, 10);
    const kept = new Set(selection!.rows);
    expect(adcTop.filter((row) => kept.has(row)).length).toBeGreaterThanOrEqual(9);
  });
});

describe('FastScanner.select', () => {
  it('returns the keep lowest summed estimates among the allowed rows, ties to the lower row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        (seed, n, dim, keep, masked) => {
          const { quantizer, codes, data } = fixture(seed, n, dim, 2.5, 8, 'l2');
          const scanner = FastScanner.create(quantizer, codes, n, { backend: 'ts' });
          const tables = prepareFastScanQuery(quantizer, data.subarray(0, dim));
          const random = new SeededRandom(seed + 1);
          const mask = masked ? new Uint32Array(Math.ceil(n / 32)) : null;
          if (mask !== null)
            for (let i = 0; i < n; i++) if (random.nextFloat() < 0.4) mask[i >>> 5]! |= 1 << (i & 31);
          const [selection] = scanner.select([{ tables, mask, keep }]);
          const sums = bruteSums(scanner, packedCodesOf(scanner), tables);
          const allowed = Array.from({ length: n }, (_, i) => i).filter(
            (i) => mask === null || ((mask[i >>> 5]! >>> (i & 31)) & 1) === 1,
          );
          const expected = allowed.sort((a, b) => sums[a]! - sums[b]! || a - b).slice(0, keep);
          expect(Array.from(selection!.rows)).toEqual(expected);
          expect(Array.from(selection!.values)).toEqual(expected.map((i) => sums[i]!));
        },
      ),
      { seed: 17, numRuns: 60 },
    );
  });

  it('serves a batch with one pass: each query gets what it would get alone', () => {
    const { quantizer, codes, data, n, dim } = fixture(5, 1000, 32, 4, 8, 'ip');
    const scanner = FastScanner.create(quantizer, codes, n);
    const requests = Array.from({ length: 7 }, (_, q) => ({
      tables: prepareFastScanQuery(quantizer, data.subarray(q * dim, (q + 1) * dim), 'ip'),
      mask:
        q % 2 === 0
          ? null
          : Uint32Array.from({ length: Math.ceil(n / 32) }, (_, w) => (w * 2654435761) >>> 0),
      keep: 5 + 13 * q,
    }));
    const batch = scanner.select(requests);
    requests.forEach((request, q) => {
      const [alone] = scanner.select([request]);
      expect(batch[q]).toEqual(alone);
      expect(batch[q]!.rows.length).toBe(request.keep);
    });
  });

  it('rejects a mask of the wrong length and a keep below 1', () => {
    const { quantizer, codes, data, n, dim } = fixture(6, 100, 8, 4, 8, 'l2');
    const scanner = FastScanner.create(quantizer, codes, n, { backend: 'ts' });
    const tables = prepareFastScanQuery(quantizer, data.subarray(0, dim));
    expect(() => scanner.select([{ tables, mask: new Uint32Array(1), keep: 3 }])).toThrow(/mask has 1 words/);
    expect(() => scanner.select([{ tables, mask: null, keep: 0 }])).toThrow(/keep is 0/);
    expect(scanner.select([])).toEqual([]);
  });
});

describe.skipIf(unavailable !== undefined)(
  `WebAssembly fast scan${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it.each(metrics)('prepares tables within float32 rounding of the TypeScript ones (%s)', (metric) => {
      const { quantizer, codes, data, n, dim } = fixture(7, 400, 37, 4, 4, metric);
      const wasm = FastScanner.create(quantizer, codes, n, { backend: 'wasm' });
      const ts = FastScanner.create(quantizer, codes, n, { backend: 'ts' });
      for (let q = 0; q < 4; q++) {
        const query = data.subarray(q * dim, (q + 1) * dim);
        const a = ts.prepare(query, metric);
        const b = wasm.prepare(query, metric);
        const reference = prepareFastScanQuery(quantizer, query, metric);
        expect(Array.from(a.lut)).toEqual(Array.from(reference.lut));
        const spread = Math.max(...a.values) - Math.min(...a.values);
        for (let e = 0; e < a.values.length; e++) {
          expect(Math.abs(b.values[e]! - a.values[e]!)).toBeLessThanOrEqual(1e-5 * spread + 1e-6);
          expect(Math.abs(b.lut[e]! - a.lut[e]!)).toBeLessThanOrEqual(1);
        }
        expect(b.constant).toBeCloseTo(a.constant, 4);
      }
    });

    it('selects exactly the rows and sums of the TypeScript reference', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1e6 }),
          fc.integer({ min: 1, max: 700 }),
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 120 }),
          fc.constantFrom<Metric>('l2', 'ip', 'cosine'),
          (seed, n, dim, keep, metric) => {
            const { quantizer, codes, data } = fixture(seed, n, dim, 3, 8, metric);
            const ts = FastScanner.create(quantizer, codes, n, { backend: 'ts' });
            const wasm = FastScanner.create(quantizer, codes, n, { backend: 'wasm' });
            expect(wasm.backend).toBe('wasm');
            const requests = [0, 1, 2].map((q) => ({
              tables: prepareFastScanQuery(
                quantizer,
                data.subarray((q % n) * dim, (q % n) * dim + dim),
                metric,
              ),
              mask:
                q === 1
                  ? Uint32Array.from({ length: Math.ceil(n / 32) }, (_, w) => (w * 40503 + seed) >>> 0)
                  : null,
              keep: keep + q,
            }));
            // The masked request may allow rows past n in the last word: they must never appear.
            const a = ts.select(requests);
            const b = wasm.select(requests);
            expect(b).toEqual(a);
            for (const selection of b) for (const row of selection.rows) expect(row).toBeLessThan(n);
          },
        ),
        { seed: 19, numRuns: 40 },
      );
    });
  },
);
