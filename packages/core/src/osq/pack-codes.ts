import { InvalidArgumentError } from '../errors/index.ts';
import type { OsqCodeLayout } from './osq-quantizer.ts';

/**
 * Bit packing of OSQ cell indices, segment-major (SQUASH's layout).
 *
 * Each vector's codes form one bit string: dimensions in order, dimension j's cell index in
 * `bitsPerDim[j]` bits, most significant bit first, so a code may straddle two bytes. The string
 * is cut into `bytesPerVector` bytes (the last one zero-padded at its low end). Byte s of every
 * vector is stored contiguously: byte s of vector i is at `s * n + i`. A scan that needs one
 * segment of many vectors, or one dimension (see `extractDimCodes`), reads contiguous memory,
 * and a SIMD kernel loads 16 vectors' bytes with one instruction.
 */

/**
 * Packs `cells` (n x dim cell indices, row-major; dimension j's value must be < 2^bitsPerDim[j],
 * 0 for 0-bit dimensions) into segment-major codes.
 *
 * @param out where to write (length n * bytesPerVector, zeroed here); allocated when omitted.
 * @throws InvalidArgumentError when `cells` has the wrong length, a cell index does not fit its
 *   bits, or `out` has the wrong length.
 */
export function packCodes(layout: OsqCodeLayout, cells: Uint8Array, n: number, out?: Uint8Array): Uint8Array {
  const dim = layout.bitsPerDim.length;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError('n', `n is ${n}; allowed: an integer >= 0`);
  }
  if (cells.length !== n * dim) {
    throw new InvalidArgumentError(
      'cells',
      `cells has ${cells.length} values; ${n} x ${dim} needs ${n * dim}`,
    );
  }
  for (let k = 0; k < cells.length; k++) {
    if (cells[k]! >>> layout.bitsPerDim[k % dim]! !== 0) {
      throw new InvalidArgumentError(
        'cells',
        `cells[${k}] is ${cells[k]}; dimension ${k % dim} has ${layout.bitsPerDim[k % dim]} bits`,
      );
    }
  }
  const codes = out ?? new Uint8Array(n * layout.bytesPerVector);
  assertCodeLength('out', codes, n, layout);
  codes.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) writeCodeImpl(layout, codes, n, i, j, cells[i * dim + j]!);
  }
  return codes;
}

/**
 * Unpacks segment-major codes into n x dim cell indices (row-major); 0-bit dimensions read 0.
 *
 * @throws InvalidArgumentError when `codes` does not hold n vectors of this layout.
 */
export function unpackCodes(layout: OsqCodeLayout, codes: Uint8Array, n: number): Uint8Array {
  assertCodeLength('codes', codes, n, layout);
  const dim = layout.bitsPerDim.length;
  const cells = new Uint8Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) cells[i * dim + j] = readCodeImpl(layout, codes, n, i, j);
  }
  return cells;
}

/**
 * Cell indices of dimension `dimIndex` for the rows `rowIds` (all n rows in order when null),
 * written to `out[k]` for the k-th row. Reads one or two segments; used by attribute-style
 * filters and per-dimension refinement that need one dimension of many vectors.
 *
 * @throws InvalidArgumentError when `dimIndex` or a row id is out of range or `out` is too short.
 */
export function extractDimCodes(
  layout: OsqCodeLayout,
  codes: Uint8Array,
  n: number,
  dimIndex: number,
  rowIds: Uint32Array | null,
  out: Uint8Array,
): Uint8Array {
  assertCodeLength('codes', codes, n, layout);
  const dim = layout.bitsPerDim.length;
  if (!Number.isInteger(dimIndex) || dimIndex < 0 || dimIndex >= dim) {
    throw new InvalidArgumentError('dimIndex', `dimIndex is ${dimIndex}; allowed: 0..${dim - 1}`);
  }
  const count = rowIds === null ? n : rowIds.length;
  if (out.length < count) {
    throw new InvalidArgumentError('out', `out has ${out.length} values; ${count} rows need ${count}`);
  }
  if (rowIds !== null) assertRowIds(rowIds, n);
  const bits = layout.bitsPerDim[dimIndex]!;
  if (bits === 0) return out.fill(0, 0, count);
  const offset = layout.bitOffsets[dimIndex]!;
  const segment = offset >>> 3;
  const end = (offset & 7) + bits;
  const first = codes.subarray(segment * n, (segment + 1) * n);
  if (end <= 8) {
    // The code lies inside one byte: shift it down to the low bits and mask.
    const shift = 8 - end;
    const mask = (1 << bits) - 1;
    for (let k = 0; k < count; k++) out[k] = (first[rowIds === null ? k : rowIds[k]!]! >>> shift) & mask;
    return out;
  }
  // Straddles two bytes: the high part ends byte `segment`, the low part starts the next byte.
  const lowBits = end - 8;
  const highMask = (1 << (bits - lowBits)) - 1;
  const second = codes.subarray((segment + 1) * n, (segment + 2) * n);
  for (let k = 0; k < count; k++) {
    const i = rowIds === null ? k : rowIds[k]!;
    out[k] = ((first[i]! & highMask) << lowBits) | (second[i]! >>> (8 - lowBits));
  }
  return out;
}

/** Writes cell index `cell` of dimension j of vector i; the target bits must be zero. */
export function writeCodeImpl(
  layout: OsqCodeLayout,
  codes: Uint8Array,
  n: number,
  i: number,
  j: number,
  cell: number,
): void {
  const bits = layout.bitsPerDim[j]!;
  if (bits === 0) return;
  const offset = layout.bitOffsets[j]!;
  const segment = offset >>> 3;
  const end = (offset & 7) + bits;
  if (end <= 8) {
    codes[segment * n + i]! |= cell << (8 - end);
    return;
  }
  const lowBits = end - 8;
  codes[segment * n + i]! |= cell >>> lowBits;
  codes[(segment + 1) * n + i]! |= (cell << (8 - lowBits)) & 0xff;
}

/** Reads cell index of dimension j of vector i. */
export function readCodeImpl(
  layout: OsqCodeLayout,
  codes: Uint8Array,
  n: number,
  i: number,
  j: number,
): number {
  const bits = layout.bitsPerDim[j]!;
  if (bits === 0) return 0;
  const offset = layout.bitOffsets[j]!;
  const segment = offset >>> 3;
  const end = (offset & 7) + bits;
  if (end <= 8) return (codes[segment * n + i]! >>> (8 - end)) & ((1 << bits) - 1);
  const lowBits = end - 8;
  const high = codes[segment * n + i]! & ((1 << (bits - lowBits)) - 1);
  return (high << lowBits) | (codes[(segment + 1) * n + i]! >>> (8 - lowBits));
}

export function assertCodeLength(
  argument: string,
  codes: Uint8Array,
  n: number,
  layout: OsqCodeLayout,
): void {
  if (!(codes instanceof Uint8Array) || codes.length !== n * layout.bytesPerVector) {
    throw new InvalidArgumentError(
      argument,
      `${argument} has ${codes?.length} bytes; ${n} vectors of ${layout.bytesPerVector} bytes need ${n * layout.bytesPerVector}`,
    );
  }
}

export function assertRowIds(rowIds: Uint32Array, n: number): void {
  if (!(rowIds instanceof Uint32Array)) {
    throw new InvalidArgumentError('rowIds', 'rowIds must be a Uint32Array or null');
  }
  for (let k = 0; k < rowIds.length; k++) {
    if (rowIds[k]! >= n) {
      throw new InvalidArgumentError('rowIds', `rowIds[${k}] is ${rowIds[k]}; allowed: row ids 0..${n - 1}`);
    }
  }
}
