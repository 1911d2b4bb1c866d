/**
 * Fixed-size bitmaps over `Uint32Array` words: bit `i` lives in word `i >>> 5` at position
 * `i & 31`. Filters return one bit per row, so a million-row partition costs 128 KiB and the
 * logical operators of a filter become word-wide `&`, `|` and `& ~`.
 *
 * Contract: bits at positions >= `bitCount` in the last word are always zero. Every function that
 * could set them (`createBitmap(n, true)`, `notInPlace`) clears them, so `popcount` and
 * `setBitIndices` never report phantom rows. Binary operations require equal word counts.
 */

import { InvalidArgumentError } from '../errors/index.ts';

/** Number of 32-bit words that hold `bitCount` bits. */
export function bitmapWordCount(bitCount: number): number {
  return (bitCount + 31) >>> 5;
}

/** A bitmap of `bitCount` bits, all clear (or all set when `fill` is true). */
export function createBitmap(bitCount: number, fill = false): Uint32Array {
  if (!Number.isInteger(bitCount) || bitCount < 0) {
    throw new InvalidArgumentError('bitCount', `bitCount is ${bitCount}; allowed: an integer >= 0`);
  }
  const bits = new Uint32Array(bitmapWordCount(bitCount));
  if (fill) {
    bits.fill(0xffffffff);
    clearTail(bits, bitCount);
  }
  return bits;
}

export function setBit(bits: Uint32Array, index: number): void {
  bits[index >>> 5]! |= 1 << (index & 31);
}

export function clearBit(bits: Uint32Array, index: number): void {
  bits[index >>> 5]! &= ~(1 << (index & 31));
}

export function getBit(bits: Uint32Array, index: number): boolean {
  return ((bits[index >>> 5]! >>> (index & 31)) & 1) === 1;
}

/** `target &= other`, word by word. Returns `target`. */
export function andInPlace(target: Uint32Array, other: Uint32Array): Uint32Array {
  assertSameLength(target, other);
  for (let w = 0; w < target.length; w++) target[w]! &= other[w]!;
  return target;
}

/** `target |= other`, word by word. Returns `target`. */
export function orInPlace(target: Uint32Array, other: Uint32Array): Uint32Array {
  assertSameLength(target, other);
  for (let w = 0; w < target.length; w++) target[w]! |= other[w]!;
  return target;
}

/** `target &= ~other` (set difference), word by word. Returns `target`. */
export function andNotInPlace(target: Uint32Array, other: Uint32Array): Uint32Array {
  assertSameLength(target, other);
  for (let w = 0; w < target.length; w++) target[w]! &= ~other[w]!;
  return target;
}

/** Complements the first `bitCount` bits and keeps the tail clear. Returns `target`. */
export function notInPlace(target: Uint32Array, bitCount: number): Uint32Array {
  if (bitmapWordCount(bitCount) !== target.length) {
    throw new InvalidArgumentError(
      'bitCount',
      `bitCount ${bitCount} needs ${bitmapWordCount(bitCount)} words; the bitmap has ${target.length}`,
    );
  }
  for (let w = 0; w < target.length; w++) target[w] = ~target[w]!;
  clearTail(target, bitCount);
  return target;
}

/** Number of set bits (SWAR popcount per word). */
export function popcount(bits: Uint32Array): number {
  let total = 0;
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w]!;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    total += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return total;
}

/**
 * The positions of the set bits in ascending order. With `mapping`, position `i` is reported as
 * `mapping[i]` instead (for instance a partition's row ids), keeping the order of positions.
 */
export function setBitIndices(bits: Uint32Array, mapping?: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(popcount(bits));
  let k = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const lowest = word & -word;
      const index = (w << 5) + 31 - Math.clz32(lowest);
      out[k++] = mapping === undefined ? index : mapping[index]!;
      word ^= lowest;
    }
  }
  return out;
}

function clearTail(bits: Uint32Array, bitCount: number): void {
  const used = bitCount & 31;
  if (used !== 0) bits[bits.length - 1]! &= (1 << used) - 1;
}

function assertSameLength(a: Uint32Array, b: Uint32Array): void {
  if (a.length !== b.length) {
    throw new InvalidArgumentError(
      'bitmap',
      `bitmaps have ${a.length} and ${b.length} words; they must match`,
    );
  }
}
