import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  andInPlace,
  andNotInPlace,
  bitmapWordCount,
  clearBit,
  createBitmap,
  getBit,
  notInPlace,
  orInPlace,
  popcount,
  setBit,
  setBitIndices,
} from '../src/bitmap/index.ts';

function fromBools(bools: boolean[]): Uint32Array {
  const bits = createBitmap(bools.length);
  bools.forEach((b, i) => {
    if (b) setBit(bits, i);
  });
  return bits;
}

function toBools(bits: Uint32Array, n: number): boolean[] {
  return Array.from({ length: n }, (_, i) => getBit(bits, i));
}

describe('bitmap', () => {
  it('sets, reads and clears single bits across word boundaries', () => {
    const bits = createBitmap(70);
    expect(bits.length).toBe(3);
    for (const i of [0, 31, 32, 63, 69]) setBit(bits, i);
    expect(setBitIndices(bits)).toEqual(Uint32Array.of(0, 31, 32, 63, 69));
    clearBit(bits, 31);
    expect(getBit(bits, 31)).toBe(false);
    expect(getBit(bits, 32)).toBe(true);
    expect(popcount(bits)).toBe(4);
  });

  it('keeps bits past bitCount clear when filled or complemented', () => {
    const full = createBitmap(37, true);
    expect(popcount(full)).toBe(37);
    expect(full[1]).toBe(0b11111);
    notInPlace(full, 37);
    expect(popcount(full)).toBe(0);
    expect(popcount(notInPlace(createBitmap(64), 64))).toBe(64);
    expect(bitmapWordCount(0)).toBe(0);
    expect(popcount(createBitmap(0, true))).toBe(0);
  });

  it('maps set positions through a row-id table', () => {
    const bits = fromBools([false, true, true, false]);
    expect(setBitIndices(bits, [10, 20, 30, 40])).toEqual(Uint32Array.of(20, 30));
  });

  it('rejects operations on bitmaps of different sizes', () => {
    expect(() => andInPlace(createBitmap(40), createBitmap(70))).toThrow(/words/);
    expect(() => createBitmap(-1)).toThrow(/bitCount/);
  });

  it('agrees with a boolean-array model for and, or, andNot, not and popcount', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 130 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.boolean(), { minLength: n, maxLength: n }),
              fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            ),
          ),
        ([n, a, b]) => {
          expect(toBools(andInPlace(fromBools(a), fromBools(b)), n)).toEqual(a.map((x, i) => x && b[i]!));
          expect(toBools(orInPlace(fromBools(a), fromBools(b)), n)).toEqual(a.map((x, i) => x || b[i]!));
          expect(toBools(andNotInPlace(fromBools(a), fromBools(b)), n)).toEqual(a.map((x, i) => x && !b[i]!));
          const negated = notInPlace(fromBools(a), n);
          expect(toBools(negated, n)).toEqual(a.map((x) => !x));
          expect(popcount(negated)).toBe(a.filter((x) => !x).length);
          expect(Array.from(setBitIndices(fromBools(a)))).toEqual(a.flatMap((x, i) => (x ? [i] : [])));
        },
      ),
      { seed: 20250101, numRuns: 200 },
    );
  });
});
