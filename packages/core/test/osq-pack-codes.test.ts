import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeLayout } from '../src/osq/code-layout.ts';
import { extractDimCodes, packCodes, unpackCodes } from '../src/osq/pack-codes.ts';
import { SeededRandom } from '../src/random/seeded-random.ts';

/** A random layout and random cell indices that fit it. */
const packingCase = fc
  .record({
    bits: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 24 }),
    n: fc.integer({ min: 0, max: 40 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .map(({ bits, n, seed }) => {
    const layout = codeLayout(Uint8Array.from(bits));
    const random = new SeededRandom(seed);
    const cells = Uint8Array.from({ length: n * bits.length }, (_, k) =>
      random.nextInt(1 << bits[k % bits.length]!),
    );
    return { layout, n, cells, random };
  });

/** The per-vector bit string of `cells` row i, MSB first, as '0'/'1' characters. */
function bitString(bits: number[], cells: Uint8Array, i: number): string {
  return bits
    .map((b, j) => (b === 0 ? '' : cells[i * bits.length + j]!.toString(2).padStart(b, '0')))
    .join('');
}

describe('OSQ code packing', () => {
  it('round-trips cell indices for random bit layouts', () => {
    fc.assert(
      fc.property(packingCase, ({ layout, n, cells }) => {
        const codes = packCodes(layout, cells, n);
        expect(codes.length).toBe(n * layout.bytesPerVector);
        expect(unpackCodes(layout, codes, n)).toEqual(cells);
      }),
      { seed: 31, numRuns: 300 },
    );
  });

  it('stores byte s of vector i at s * n + i, holding bits 8s..8s+7 of its MSB-first bit string', () => {
    fc.assert(
      fc.property(packingCase, ({ layout, n, cells }) => {
        const bits = Array.from(layout.bitsPerDim);
        const codes = packCodes(layout, cells, n);
        for (let i = 0; i < n; i++) {
          const string = bitString(bits, cells, i).padEnd(8 * layout.bytesPerVector, '0');
          for (let s = 0; s < layout.bytesPerVector; s++) {
            expect(codes[s * n + i]).toBe(Number.parseInt(string.slice(8 * s, 8 * s + 8), 2));
          }
        }
      }),
      { seed: 32, numRuns: 200 },
    );
  });

  it('packs a known example: 3 + 6 + 7 bits straddle bytes, MSB first', () => {
    const layout = codeLayout(Uint8Array.from([3, 6, 7]));
    expect(layout.bytesPerVector).toBe(2);
    // 101 | 110011 | 0101010 -> 10111001 10101010
    const codes = packCodes(layout, Uint8Array.from([0b101, 0b110011, 0b0101010, 0, 0, 0]), 2);
    expect(Array.from(codes)).toEqual([0b10111001, 0, 0b10101010, 0]);
  });

  it('extracts one dimension for a list of row ids', () => {
    fc.assert(
      fc.property(packingCase, ({ layout, n, cells, random }) => {
        const dim = layout.bitsPerDim.length;
        const codes = packCodes(layout, cells, n);
        const rowIds = Uint32Array.from({ length: 2 * n }, () => random.nextInt(n));
        for (let j = 0; j < dim; j++) {
          const out = new Uint8Array(rowIds.length);
          extractDimCodes(layout, codes, n, j, rowIds, out);
          expect(Array.from(out)).toEqual(Array.from(rowIds, (i) => cells[i * dim + j]));
          const all = new Uint8Array(n);
          extractDimCodes(layout, codes, n, j, null, all);
          expect(Array.from(all)).toEqual(Array.from({ length: n }, (_, i) => cells[i * dim + j]));
        }
      }),
      { seed: 33, numRuns: 200 },
    );
  });

  it('rejects a cell index that does not fit its bits with INVALID_ARGUMENT', () => {
    const layout = codeLayout(Uint8Array.from([2, 3]));
    expect(() => packCodes(layout, Uint8Array.from([4, 0]), 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('rejects more than 8 bits for a dimension and codes of the wrong length', () => {
    expect(() => codeLayout(Uint8Array.from([9]))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const layout = codeLayout(Uint8Array.from([4, 4, 4]));
    expect(() => unpackCodes(layout, new Uint8Array(3), 2)).toThrow(/2 vectors of 2 bytes need 4/);
    expect(() => extractDimCodes(layout, new Uint8Array(4), 2, 3, null, new Uint8Array(2))).toThrow(
      /dimIndex is 3/,
    );
  });
});
