import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../src/distance/metric.ts';
import { cosineFromDot } from '../src/distance/reference-kernels.ts';
import { popcount32 } from '../src/osq/binary-code.ts';
import { encodeOsq } from '../src/osq/encode-osq.ts';
import { hammingScan } from '../src/osq/hamming-scan.ts';
import type { OsqQuantizer } from '../src/osq/osq-quantizer.ts';
import { transformRowImpl } from '../src/osq/osq-transform.ts';
import { unpackCodes } from '../src/osq/pack-codes.ts';
import { prepareOsqQuery } from '../src/osq/prepare-osq-query.ts';
import { scanOsq } from '../src/osq/scan-osq.ts';
import { trainOsq } from '../src/osq/train-osq.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/** Anisotropic, correlated rows with an offset; every 5th value of some dims rounded to create ties. */
function partitionRows(random: SeededRandom, n: number, dim: number): Float32Array {
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let carry = 0;
    for (let j = 0; j < dim; j++) {
      const value = random.nextGaussian() * 3 ** (-j / 3) + 0.5 * carry + j;
      carry = value - j;
      data[i * dim + j] = j % 3 === 2 ? Math.round(value * 2) / 2 : value;
    }
  }
  return data;
}

function exactDistance(
  metric: Metric,
  query: Float32Array,
  data: Float32Array,
  i: number,
  dim: number,
): number {
  let squares = 0;
  let dot = 0;
  let queryNorm = 0;
  let rowNorm = 0;
  for (let j = 0; j < dim; j++) {
    const x = data[i * dim + j]!;
    squares += (query[j]! - x) ** 2;
    dot += query[j]! * x;
    queryNorm += query[j]! ** 2;
    rowNorm += x * x;
  }
  if (metric === 'l2') return squares;
  return metric === 'ip' ? -dot : cosineFromDot(dot, Math.sqrt(queryNorm), Math.sqrt(rowNorm));
}

/** The query as the tables see it: scaled to unit length for cosine. */
function tableQuery(metric: Metric, query: Float32Array): Float32Array {
  if (metric !== 'cosine') return query;
  const norm = Math.hypot(...query);
  return query.map((v) => (norm === 0 ? 0 : v / norm));
}

/** Distance from the query to each row's reconstruction (representatives of its cells). */
function reconstructionDistances(
  quantizer: OsqQuantizer,
  codes: Uint8Array,
  n: number,
  rawQuery: Float32Array,
  metric: Metric,
): Float64Array {
  const { dim, cellOffsets, representatives } = quantizer;
  const query = tableQuery(metric, rawQuery);
  const u = new Float64Array(dim);
  transformRowImpl(quantizer.rotation, metric === 'l2' ? quantizer.mean : null, dim, query, 0, u);
  let constant = metric === 'cosine' ? 1 : 0;
  for (let j = 0; metric !== 'l2' && j < dim; j++) constant -= query[j]! * quantizer.mean[j]!;
  const cells = unpackCodes(quantizer.layout, codes, n);
  return Float64Array.from({ length: n }, (_, i) => {
    let sum = constant;
    for (let j = 0; j < dim; j++) {
      const r = representatives[cellOffsets[j]! + cells[i * dim + j]!]!;
      sum += metric === 'l2' ? (u[j]! - r) ** 2 : -u[j]! * r;
    }
    return sum;
  });
}

const scanCase = fc.record({
  seed: fc.integer({ min: 0, max: 1e6 }),
  n: fc.integer({ min: 1, max: 120 }),
  dim: fc.integer({ min: 1, max: 24 }),
  bitsPerDim: fc.double({ min: 0, max: 8, noNaN: true }),
  metric: fc.constantFrom<Metric>('l2', 'ip', 'cosine'),
  queryScale: fc.constantFrom(0.1, 1, 30),
});

describe('OSQ lookup-table scan', () => {
  it('brackets the exact distance of every row between the lower and upper bound', () => {
    fc.assert(
      fc.property(scanCase, ({ seed, n, dim, bitsPerDim, metric, queryScale }) => {
        const random = new SeededRandom(seed);
        const data = partitionRows(random, n, dim);
        const quantizer = trainOsq(data, n, dim, {
          metric,
          bitsPerVector: Math.round(bitsPerDim * dim),
          seed,
        });
        const { codes } = encodeOsq(quantizer, data, n);
        const query = Float32Array.from({ length: dim }, (_, j) => j + queryScale * random.nextGaussian());
        const tables = prepareOsqQuery(quantizer, query, metric);
        const lower = new Float32Array(n);
        const upper = new Float32Array(n);
        const adc = new Float32Array(n);
        scanOsq(tables, codes, n, null, lower, adc, upper);
        for (let i = 0; i < n; i++) {
          const exact = exactDistance(metric, query, data, i, dim);
          let scale = 1;
          for (let j = 0; j < dim && metric !== 'cosine'; j++)
            scale += query[j]! ** 2 + data[i * dim + j]! ** 2;
          expect(lower[i]!).toBeLessThanOrEqual(exact + 1e-5 * scale);
          expect(upper[i]!).toBeGreaterThanOrEqual(exact - 1e-5 * scale);
          expect(adc[i]!).toBeGreaterThanOrEqual(lower[i]! - 1e-5 * scale);
          expect(adc[i]!).toBeLessThanOrEqual(upper[i]! + 1e-5 * scale);
        }
      }),
      { seed: 41, numRuns: 150 },
    );
  });

  it('computes ADC as the distance to the reconstruction, straddling codes included', () => {
    fc.assert(
      fc.property(scanCase, ({ seed, n, dim, bitsPerDim, metric, queryScale }) => {
        const random = new SeededRandom(seed);
        const data = partitionRows(random, n, dim);
        const quantizer = trainOsq(data, n, dim, {
          metric,
          bitsPerVector: Math.round(bitsPerDim * dim),
          seed,
        });
        const { codes } = encodeOsq(quantizer, data, n);
        const query = Float32Array.from({ length: dim }, (_, j) => j + queryScale * random.nextGaussian());
        const adc = new Float32Array(n);
        scanOsq(prepareOsqQuery(quantizer, query, metric), codes, n, null, null, adc);
        const expected = reconstructionDistances(quantizer, codes, n, query, metric);
        for (let i = 0; i < n; i++) {
          expect(Math.abs(adc[i]! - expected[i]!)).toBeLessThanOrEqual(
            1e-5 * (1 + Math.abs(expected[i]!)) + 1e-4,
          );
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('scans a list of row ids exactly like the same rows of a full scan, and skips null outputs', () => {
    const random = new SeededRandom(3);
    const n = 500;
    const dim = 20;
    const data = partitionRows(random, n, dim);
    const quantizer = trainOsq(data, n, dim, { bitsPerVector: 77 });
    const { codes } = encodeOsq(quantizer, data, n);
    const tables = prepareOsqQuery(quantizer, data.subarray(0, dim), 'l2');
    const all = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
    scanOsq(tables, codes, n, null, ...all);
    const rowIds = Uint32Array.from({ length: 300 }, () => random.nextInt(n));
    const some = [new Float32Array(300), new Float32Array(300), new Float32Array(300)] as const;
    scanOsq(tables, codes, n, rowIds, ...some);
    rowIds.forEach((i, k) => {
      for (let o = 0; o < 3; o++) expect(some[o]![k]).toBe(all[o]![i]);
    });
    const onlyUpper = new Float32Array(n);
    const untouched = new Float32Array(n).fill(-1);
    scanOsq(tables, codes, n, null, null, null, onlyUpper);
    expect(onlyUpper).toEqual(all[2]);
    scanOsq(tables, codes, n, null, untouched, null);
    expect(untouched).toEqual(all[0]);
  });

  it('gives a single-row partition no bits and bounds that meet at its exact distance', () => {
    const row = Float32Array.from([1, -2, 3.5, 0]);
    const quantizer = trainOsq(row, 1, 4);
    expect(quantizer.layout.totalBits).toBe(0);
    const { codes } = encodeOsq(quantizer, row, 1);
    expect(codes.length).toBe(0);
    const query = Float32Array.from([0, 0, 1, 1]);
    const lower = new Float32Array(1);
    const upper = new Float32Array(1);
    const adc = new Float32Array(1);
    scanOsq(prepareOsqQuery(quantizer, query, 'l2'), codes, 1, null, lower, adc, upper);
    for (const value of [lower[0]!, upper[0]!, adc[0]!]) expect(value).toBeCloseTo(1 + 4 + 6.25 + 1, 4);
  });

  it('puts zero vectors at cosine distance 1: a zero row for any query, every row for a zero query', () => {
    const random = new SeededRandom(12);
    const n = 80;
    const dim = 6;
    const data = partitionRows(random, n, dim);
    data.fill(0, 0, dim);
    const quantizer = trainOsq(data, n, dim, { metric: 'cosine' });
    const { codes } = encodeOsq(quantizer, data, n);
    const lower = new Float32Array(n);
    const upper = new Float32Array(n);
    const adc = new Float32Array(n);
    scanOsq(prepareOsqQuery(quantizer, data.subarray(dim, 2 * dim)), codes, n, null, lower, adc, upper);
    expect(lower[0]!).toBeLessThanOrEqual(1 + 1e-6);
    expect(upper[0]!).toBeGreaterThanOrEqual(1 - 1e-6);
    scanOsq(prepareOsqQuery(quantizer, new Float32Array(dim)), codes, n, null, lower, adc, upper);
    for (const out of [lower, adc, upper]) for (const value of out) expect(value).toBeCloseTo(1, 6);
  });

  it('rejects a metric the quantizer was not trained for, a query of the wrong dimension and short outputs', () => {
    const data = partitionRows(new SeededRandom(1), 10, 3);
    const quantizer = trainOsq(data, 10, 3);
    const { codes } = encodeOsq(quantizer, data, 10);
    const query = new Float32Array(3);
    expect(() => prepareOsqQuery(quantizer, query, 'cosine')).toThrow(/trained for l2 allows: l2, ip/);
    const cosineQuantizer = trainOsq(data, 10, 3, { metric: 'cosine' });
    expect(() => prepareOsqQuery(cosineQuantizer, query, 'ip')).toThrow(/trained for cosine allows: cosine/);
    expect(() => prepareOsqQuery(quantizer, query, 'dot' as Metric)).toThrow(/metric is "dot"/);
    expect(() => prepareOsqQuery(quantizer, new Float32Array(4), 'l2')).toThrow(
      expect.objectContaining({ code: 'DIMENSION_MISMATCH' }),
    );
    const tables = prepareOsqQuery(quantizer, query, 'l2');
    expect(() => scanOsq(tables, codes, 10, null, new Float32Array(9), null)).toThrow(
      /outLower has 9 values/,
    );
    expect(() => scanOsq(tables, codes, 10, Uint32Array.from([10]), new Float32Array(1), null)).toThrow(
      /rowIds\[0\] is 10/,
    );
  });
});

describe('OSQ binary code', () => {
  it('sets bit k when transformed coordinate k is positive, for the first binaryDims dimensions only', () => {
    const random = new SeededRandom(8);
    const n = 200;
    const dim = 40;
    const data = partitionRows(random, n, dim);
    const quantizer = trainOsq(data, n, dim, { binaryDims: 37 });
    expect(quantizer.binaryWordsPerVector).toBe(2);
    const { binary } = encodeOsq(quantizer, data, n);
    const z = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      transformRowImpl(quantizer.rotation, quantizer.mean, dim, data, i * dim, z);
      for (let k = 0; k < 64; k++) {
        const bit = (binary[i * 2 + (k >> 5)]! >>> (31 - (k & 31))) & 1;
        expect(bit).toBe(k < 37 && z[k]! > 0 ? 1 : 0);
      }
    }
  });

  it('returns Hamming distances equal to the popcount of the xor, for all rows and for row ids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 48 }),
        fc.integer({ min: 0, max: 100 }),
        (seed, dim, binaryPercent) => {
          const random = new SeededRandom(seed);
          const n = 60;
          const data = partitionRows(random, n, dim);
          const binaryDims = Math.round((binaryPercent / 100) * dim);
          const quantizer = trainOsq(data, n, dim, { binaryDims });
          const { binary } = encodeOsq(quantizer, data, n);
          const tables = prepareOsqQuery(quantizer, data.subarray(0, dim), 'l2');
          const words = quantizer.binaryWordsPerVector;
          const expected = Array.from({ length: n }, (_, i) => {
            let distance = 0;
            for (let w = 0; w < words; w++)
              distance += popcount32(tables.binary[w]! ^ binary[i * words + w]!);
            return distance;
          });
          const out = new Uint32Array(n);
          hammingScan(tables, binary, n, null, out);
          expect(Array.from(out)).toEqual(expected);
          expect(out[0]).toBe(0);
          const rowIds = Uint32Array.from([5, 0, 59, 5]);
          const some = new Uint32Array(4);
          hammingScan(tables, binary, n, rowIds, some);
          expect(Array.from(some)).toEqual(Array.from(rowIds, (i) => expected[i]));
        },
      ),
      { seed: 43, numRuns: 100 },
    );
  });

  it('counts bits like a naive popcount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
        expect(popcount32(x)).toBe(x.toString(2).split('1').length - 1);
      }),
      { seed: 44 },
    );
  });
});
