import { InvalidArgumentError } from '../errors/index.ts';
import type { OsqCodeLayout } from './osq-quantizer.ts';

/**
 * How a lookup-table scan reads a code layout: one 256-entry table per code byte (segment) plus
 * one table per dimension that straddles two bytes.
 *
 * Why this split: with variable bits per dimension, a dimension's code may start in one byte and
 * end in the next, and its distance contribution is not a sum of a function of the high bits and
 * a function of the low bits. So:
 * - Each segment s gets a 256-entry table whose entry x is the summed contribution of every
 *   dimension lying wholly inside byte s, decoded from x (the bits of straddling dimensions in x
 *   are ignored). This is exact: those dimensions' cells are functions of byte s alone.
 * - Each straddling dimension (at most one per byte boundary, so fewer than bytesPerVector) gets
 *   its own table indexed by its full cell index, rebuilt from the two bytes with a mask, two
 *   shifts and an or.
 * The scan then costs bytesPerVector + straddlers lookups per vector, at most 2 x bytesPerVector,
 * with no padding in the stored codes, and every lookup is exact. Padding codes to byte
 * boundaries instead would waste up to 3 bits in 8 for 5-bit dimensions; 65,536-entry tables per
 * byte pair would cost more to build per query than a scan of a typical partition.
 */
export interface OsqScanPlan {
  readonly bytesPerVector: number;
  /** Segment s's whole dimensions are `fieldDims[fieldStarts[s] .. fieldStarts[s + 1])`. */
  readonly fieldStarts: Uint32Array;
  readonly fieldDims: Uint32Array;
  /** Right shift that brings the field's code to the low bits of its byte. */
  readonly fieldShifts: Uint8Array;
  /** Straddling dimensions, in order. */
  readonly straddlerDims: Uint32Array;
  /** Segment holding the high bits; the low bits start segment + 1. */
  readonly straddlerSegments: Uint32Array;
  /** Mask of the high bits at the bottom of the first byte. */
  readonly straddlerHighMasks: Uint8Array;
  /** Number of low bits, at the top of the second byte. */
  readonly straddlerLowBits: Uint8Array;
  /** Offset of each straddler's table (after the 256 x bytesPerVector segment tables). */
  readonly straddlerTableOffsets: Uint32Array;
  /** Entries of a complete table set (segment tables then straddler tables). */
  readonly tableLength: number;
}

const plans = new WeakMap<OsqCodeLayout, OsqScanPlan>();

/** The scan plan of `layout`, computed once per layout object. */
export function scanPlanOf(layout: OsqCodeLayout): OsqScanPlan {
  let plan = plans.get(layout);
  if (plan === undefined) {
    plan = buildScanPlan(layout);
    plans.set(layout, plan);
  }
  return plan;
}

function buildScanPlan(layout: OsqCodeLayout): OsqScanPlan {
  const { bitsPerDim, bitOffsets, bytesPerVector } = layout;
  const fields: number[][] = Array.from({ length: bytesPerVector }, () => []);
  const shifts: number[][] = Array.from({ length: bytesPerVector }, () => []);
  const straddlers: number[] = [];
  for (let j = 0; j < bitsPerDim.length; j++) {
    const bits = bitsPerDim[j]!;
    if (bits === 0) continue;
    const segment = bitOffsets[j]! >>> 3;
    const end = (bitOffsets[j]! & 7) + bits;
    if (end <= 8) {
      fields[segment]!.push(j);
      shifts[segment]!.push(8 - end);
    } else {
      straddlers.push(j);
    }
  }
  const fieldStarts = new Uint32Array(bytesPerVector + 1);
  for (let s = 0; s < bytesPerVector; s++) fieldStarts[s + 1] = fieldStarts[s]! + fields[s]!.length;
  const straddlerSegments = new Uint32Array(straddlers.length);
  const straddlerHighMasks = new Uint8Array(straddlers.length);
  const straddlerLowBits = new Uint8Array(straddlers.length);
  const straddlerTableOffsets = new Uint32Array(straddlers.length);
  let tableLength = 256 * bytesPerVector;
  straddlers.forEach((j, k) => {
    const bits = bitsPerDim[j]!;
    const lowBits = (bitOffsets[j]! & 7) + bits - 8;
    straddlerSegments[k] = bitOffsets[j]! >>> 3;
    straddlerHighMasks[k] = (1 << (bits - lowBits)) - 1;
    straddlerLowBits[k] = lowBits;
    straddlerTableOffsets[k] = tableLength;
    tableLength += 1 << bits;
  });
  return {
    bytesPerVector,
    fieldStarts,
    fieldDims: Uint32Array.from(fields.flat()),
    fieldShifts: Uint8Array.from(shifts.flat()),
    straddlerDims: Uint32Array.from(straddlers),
    straddlerSegments,
    straddlerHighMasks,
    straddlerLowBits,
    straddlerTableOffsets,
    tableLength,
  };
}

/**
 * Tables index codes through their plan, so they must come from the same layout as the codes. A
 * quantizer restored from storage has a new layout object; equal plans are accepted.
 */
export function assertSamePlan(expected: OsqScanPlan, actual: OsqScanPlan): void {
  if (expected === actual) return;
  const same =
    expected.bytesPerVector === actual.bytesPerVector &&
    expected.tableLength === actual.tableLength &&
    sameValues(expected.fieldStarts, actual.fieldStarts) &&
    sameValues(expected.fieldShifts, actual.fieldShifts) &&
    sameValues(expected.straddlerTableOffsets, actual.straddlerTableOffsets) &&
    sameValues(expected.straddlerLowBits, actual.straddlerLowBits);
  if (!same) {
    throw new InvalidArgumentError(
      'tables',
      `tables were prepared for a different code layout (${actual.bytesPerVector} bytes per vector); ` +
        `the scanner's codes have ${expected.bytesPerVector}`,
    );
  }
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
