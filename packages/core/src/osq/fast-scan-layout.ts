import type { OsqCodeLayout } from './osq-quantizer.ts';
import { readCodeImpl } from './pack-codes.ts';

/** Rows per fast-scan block: one 16-byte register holds one group's 4-bit codes of 32 rows. */
export const FAST_SCAN_BLOCK_ROWS = 32;

/**
 * How OSQ's non-uniform bits map onto the 4-bit groups of the fast scan (one 16-entry table per
 * group, so one `i8x16.swizzle` looks up 16 rows at once):
 * - a dimension with 4 bits is one group;
 * - dimensions with 1-3 bits share groups (first-fit decreasing: 3+1, 2+2, 2+1+1, ...);
 * - a dimension with more than 4 bits contributes its top 4 bits (its cells merged 2^(b-4) at a
 *   time); its low bits are not in the fast-scan code, so the layout is `lossless` only when no
 *   dimension has more than 4 bits. A lossy layout is a coarser quantizer of the same rows: the
 *   scan still ranks, and the caller refines survivors with the full OSQ codes or re-ranks them.
 *
 * Member k of group g is `members[memberStarts[g] + k]`: its dimension, the shift that brings its
 * field down from the group's nibble, its width in the nibble and the low bits it drops.
 */
export interface FastScanLayout {
  readonly groups: number;
  readonly memberStarts: Uint32Array;
  readonly memberDims: Uint32Array;
  readonly memberShifts: Uint8Array;
  readonly memberWidths: Uint8Array;
  readonly memberDrops: Uint8Array;
  /** True when every dimension keeps all its bits (the fast-scan code is the OSQ code). */
  readonly lossless: boolean;
  /** Code bytes per row: groups / 2. */
  readonly bytesPerVector: number;
}

const layouts = new WeakMap<OsqCodeLayout, FastScanLayout>();

/** The fast-scan layout of an OSQ code layout, computed once per layout object. */
export function fastScanLayoutOf(layout: OsqCodeLayout): FastScanLayout {
  let found = layouts.get(layout);
  if (found === undefined) {
    found = buildFastScanLayout(layout.bitsPerDim);
    layouts.set(layout, found);
  }
  return found;
}

interface Member {
  readonly dim: number;
  readonly width: number;
  readonly drop: number;
}

function buildFastScanLayout(bitsPerDim: Uint8Array): FastScanLayout {
  const members: Member[] = [];
  for (let j = 0; j < bitsPerDim.length; j++) {
    const bits = bitsPerDim[j]!;
    if (bits > 0) members.push({ dim: j, width: Math.min(bits, 4), drop: Math.max(bits - 4, 0) });
  }
  // First-fit decreasing; a stable sort keeps dimension order among equal widths.
  members.sort((a, b) => b.width - a.width);
  const bins: Member[][] = [];
  const free: number[] = [];
  for (const member of members) {
    let g = free.findIndex((bitsFree) => bitsFree >= member.width);
    if (g < 0) {
      g = bins.length;
      bins.push([]);
      free.push(4);
    }
    bins[g]!.push(member);
    free[g] = free[g]! - member.width;
  }
  const memberStarts = new Uint32Array(bins.length + 1);
  const flat: Member[] = [];
  const shifts: number[] = [];
  bins.forEach((bin, g) => {
    let shift = 0;
    for (const member of bin) {
      flat.push(member);
      shifts.push(shift);
      shift += member.width;
    }
    memberStarts[g + 1] = flat.length;
  });
  return {
    groups: bins.length,
    memberStarts,
    memberDims: Uint32Array.from(flat, (m) => m.dim),
    memberShifts: Uint8Array.from(shifts),
    memberWidths: Uint8Array.from(flat, (m) => m.width),
    memberDrops: Uint8Array.from(flat, (m) => m.drop),
    lossless: flat.every((m) => m.drop === 0),
    bytesPerVector: bins.length / 2,
  };
}

/** Number of 32-row blocks that hold n rows. */
export function fastScanBlockCount(n: number): number {
  return Math.ceil(n / FAST_SCAN_BLOCK_ROWS);
}

/**
 * Byte of row i inside its block's 16 bytes of one group: rows k and 8 + k of a half block
 * (k < 8) sit in bytes 2k and 2k + 1, so the even bytes, read as 16-bit lanes, are rows 0-7 and
 * the odd bytes rows 8-15 (the kernel sums both without widening). Rows 16-31 of the block use the
 * same bytes' high nibbles.
 */
export function fastScanByteOf(i: number): number {
  const s = i & 15;
  return s < 8 ? 2 * s : 2 * (s - 8) + 1;
}

/**
 * Re-lays segment-major OSQ codes of n rows (`packCodes`) into fast-scan blocks: block b, group g
 * is 16 bytes at `(b * groups + g) * 16`, row 32b + r in byte `fastScanByteOf(r)`, low nibble
 * for r < 16, high nibble for r >= 16 (rows past n are zero). Cost O(n x dim), once per partition.
 */
export function packFastScanCodes(
  fast: FastScanLayout,
  layout: OsqCodeLayout,
  codes: Uint8Array,
  n: number,
): Uint8Array {
  const { groups, memberStarts, memberDims, memberShifts, memberDrops } = fast;
  const out = new Uint8Array(fastScanBlockCount(n) * groups * 16);
  for (let i = 0; i < n; i++) {
    const block = i >>> 5;
    const byteInGroup = fastScanByteOf(i);
    const highNibble = (i & 16) === 0 ? 0 : 4;
    for (let g = 0; g < groups; g++) {
      let nibble = 0;
      for (let m = memberStarts[g]!; m < memberStarts[g + 1]!; m++) {
        const cell = readCodeImpl(layout, codes, n, i, memberDims[m]!);
        nibble |= (cell >>> memberDrops[m]!) << memberShifts[m]!;
      }
      out[(block * groups + g) * 16 + byteInGroup]! |= nibble << highNibble;
    }
  }
  return out;
}

/** The 4-bit code of group g of row i in fast-scan codes (for tests and the reference kernel). */
export function fastScanCodeOf(codes: Uint8Array, groups: number, i: number, g: number): number {
  const byte = codes[((i >>> 5) * groups + g) * 16 + fastScanByteOf(i)]!;
  return (i & 16) === 0 ? byte & 15 : byte >>> 4;
}
