import type { Metric } from '../distance/metric.ts';
import { type FastScanLayout, fastScanLayoutOf } from './fast-scan-layout.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import { assertQuerySuitsQuantizer } from './prepare-osq-query.ts';

/** Largest summed estimate: below 65,535, so 16-bit lanes never overflow and 65,535 keeps all. */
export const FAST_SCAN_MAX_SUM = 65_534;

/**
 * Largest table entry: 127, so the kernel adds two groups' lookups in 8-bit lanes before widening
 * (a third fewer instructions than widening each lookup; it costs one bit of table precision,
 * which the re-rank absorbs).
 */
export const FAST_SCAN_MAX_ENTRY = 127;

/** Table entries saturate at this many times the mean group range (see `quantiseTables`). */
export const FAST_SCAN_CLIP = 4;

/**
 * One query's fast-scan tables for one partition's quantizer. A row's estimate is
 * `offset + (sum over groups of lut[g * 16 + code_g]) / scale`, and its float counterpart
 * `constant + sum of values[g * 16 + code_g]`.
 */
export interface FastScanTables {
  readonly layout: FastScanLayout;
  /**
   * Per group, 16 float64 contributions: for a lossless layout, the ADC contributions of the
   * group's dimensions (the sum over groups plus `constant` is the OSQ ADC estimate exactly); a
   * dimension with dropped bits contributes the mean of its merged cells' contributions.
   */
  readonly values: Float64Array;
  /** The ADC contribution of 0-bit dimensions plus the metric's constant. */
  readonly constant: number;
  /** Per group, 16 uint8 entries (0..127): round((value - groupMinimum) x scale). */
  readonly lut: Uint8Array;
  /** Quantised units per distance unit. */
  readonly scale: number;
  /** constant + sum of group minimums: the distance of a summed estimate of 0. */
  readonly offset: number;
  /**
   * Most the dequantised estimate can differ from `constant + sum of values` (rounding of each
   * group's entry, half a unit each): groups / (2 scale), plus float rounding, for a row none of
   * whose entries saturates; an entry more than `saturation` above its group's minimum is stored
   * as the largest entry, so such a row's estimate is lower than its float sum.
   */
  readonly maxError: number;
  /** Distance above a group's minimum at which its entries saturate (see `FAST_SCAN_CLIP`). */
  readonly saturation: number;
}

/**
 * Builds the fast-scan tables of `query` (a LeanVec-reduced query of the quantizer's dimension)
 * for `metric` (the rules of `prepareOsqQuery`: `l2` or `ip` for an `l2` / `ip` quantizer,
 * `cosine` for a `cosine` one). Per group the 16 float entries are the sums of its members'
 * contributions; they are quantised to uint8 with one scale for all groups (FAISS's and Quicker
 * ADC's choice: a shared scale keeps the sum of integers proportional to the sum of floats) and a
 * per-group bias, the largest entry range mapping to min(127, floor(65,534 / groups)) so the
 * 16-bit sums cannot overflow. Cost: transform (dim^2) plus 16 entries per group.
 *
 * @throws DimensionMismatchError when `query` does not have the quantizer's dimension.
 * @throws InvalidArgumentError when `metric` does not suit the quantizer or a value is not finite.
 */
export function prepareFastScanQuery(
  quantizer: OsqQuantizer,
  query: Float32Array,
  metric: Metric = quantizer.metric,
): FastScanTables {
  assertQuerySuitsQuantizer(quantizer, query, metric);
  return prepareFastScanQueryImpl(quantizer, query, metric);
}

/**
 * Computes u = source x R (R the quantizer's dim x dim rotation) into `out`; the WebAssembly fast
 * scanner brings a SIMD one (`FastScanner.prepare`).
 */
export type RowTimesRotation = (source: Float64Array, out: Float64Array) => void;

/** `prepareFastScanQuery` without validation; `transform` defaults to the TypeScript loop. */
export function prepareFastScanQueryImpl(
  quantizer: OsqQuantizer,
  query: Float32Array,
  metric: Metric,
  transform: RowTimesRotation = (source, out) => rowTimesRotationImpl(quantizer, source, out),
): FastScanTables {
  const cells = groupCellsOf(quantizer);
  const { dim, mean } = quantizer;
  const { groups } = cells.layout;
  // One backing store for every array of the call: typed arrays above 64 bytes live outside the
  // JavaScript heap, and allocating six of them per partition visited cost more than the maths.
  const buffer = new ArrayBuffer(8 * (2 * dim + 17 * groups) + 16 * groups);
  const source = new Float64Array(buffer, 0, dim);
  const u = new Float64Array(buffer, 8 * dim, dim);
  const values = new Float64Array(buffer, 16 * dim, 16 * groups);
  const minimums = new Float64Array(buffer, 8 * (2 * dim + 16 * groups), groups);
  const lut = new Uint8Array(buffer, 8 * (2 * dim + 17 * groups), 16 * groups);
  // The query in the quantizer's coordinates (see `prepareOsqQuery`): u = (q - mean) R for l2,
  // q R for ip, q' R for cosine (q' = q / |q|), and the code-independent constant.
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += query[i]! * query[i]!;
  const unit = metric === 'cosine' ? (norm > 0 ? 1 / Math.sqrt(norm) : 0) : 1;
  let dot = 0;
  for (let i = 0; i < dim; i++) {
    const value = query[i]! * unit;
    dot += value * mean[i]!;
    source[i] = metric === 'l2' ? value - mean[i]! : value;
  }
  transform(source, u);
  const squared = metric === 'l2';
  let constant = metric === 'l2' ? 0 : (metric === 'cosine' ? 1 : 0) - dot;
  const { zeroBitDims, zeroBitMeans, zeroBitSquares } = cells;
  for (let k = 0; k < zeroBitDims.length; k++) {
    const uj = u[zeroBitDims[k]!]!;
    constant += squared ? uj * uj - 2 * uj * zeroBitMeans[k]! + zeroBitSquares[k]! : -uj * zeroBitMeans[k]!;
  }
  groupValues(cells, u, squared, values);
  const { scale, offset, maxError, saturation } = quantiseTables(values, groups, constant, minimums, lut);
  return { layout: cells.layout, values, constant, lut, scale, offset, maxError, saturation };
}

/**
 * Per quantizer, what the tables need from its cells, laid out for one pass per query: for entry
 * x of group g and its k-th member (up to 4), the member's dimension, the mean representative of
 * the cells that nibble value covers and the mean of their squares (one cell when no bit is
 * dropped). A contribution is then u^2 - 2 u r + r^2 (l2) or -u r (ip, cosine), averaged over
 * merged cells exactly.
 */
interface GroupCells {
  readonly layout: FastScanLayout;
  /** Members per group entry: groups x 16 x width, dimension -1 where a group has fewer. */
  readonly width: number;
  readonly dims: Int32Array;
  readonly means: Float64Array;
  readonly squares: Float64Array;
  readonly zeroBitDims: Uint32Array;
  readonly zeroBitMeans: Float64Array;
  readonly zeroBitSquares: Float64Array;
}

const groupCells = new WeakMap<OsqQuantizer, GroupCells>();

function groupCellsOf(quantizer: OsqQuantizer): GroupCells {
  let found = groupCells.get(quantizer);
  if (found === undefined) {
    found = buildGroupCells(quantizer);
    groupCells.set(quantizer, found);
  }
  return found;
}

function buildGroupCells(quantizer: OsqQuantizer): GroupCells {
  const layout = fastScanLayoutOf(quantizer.layout);
  const { groups, memberStarts, memberDims, memberShifts, memberWidths, memberDrops } = layout;
  let width = 1;
  for (let g = 0; g < groups; g++) width = Math.max(width, memberStarts[g + 1]! - memberStarts[g]!);
  const dims = new Int32Array(groups * 16 * width).fill(-1);
  const means = new Float64Array(dims.length);
  const squares = new Float64Array(dims.length);
  const { representatives, cellOffsets } = quantizer;
  for (let g = 0; g < groups; g++) {
    for (let m = memberStarts[g]!; m < memberStarts[g + 1]!; m++) {
      const j = memberDims[m]!;
      const merged = 1 << memberDrops[m]!;
      const mask = (1 << memberWidths[m]!) - 1;
      for (let x = 0; x < 16; x++) {
        const at = (g * 16 + x) * width + (m - memberStarts[g]!);
        const first = cellOffsets[j]! + ((x >>> memberShifts[m]!) & mask) * merged;
        let sum = 0;
        let sumSquares = 0;
        for (let k = 0; k < merged; k++) {
          const r = representatives[first + k]!;
          sum += r;
          sumSquares += r * r;
        }
        dims[at] = j;
        means[at] = sum / merged;
        squares[at] = sumSquares / merged;
      }
    }
  }
  const zero: number[] = [];
  for (let j = 0; j < quantizer.dim; j++) if (quantizer.layout.bitsPerDim[j] === 0) zero.push(j);
  const zeroBitMeans = Float64Array.from(zero, (j) => representatives[cellOffsets[j]!]!);
  return {
    layout,
    width,
    dims,
    means,
    squares,
    zeroBitDims: Uint32Array.from(zero),
    zeroBitMeans,
    zeroBitSquares: zeroBitMeans.map((r) => r * r),
  };
}

function groupValues(cells: GroupCells, u: Float64Array, squared: boolean, values: Float64Array): void {
  const { width, dims, means, squares } = cells;
  const entries = cells.layout.groups * 16;
  if (width === 1) {
    // Every group is one dimension (the default 4-bit allocation): no member loop.
    for (let e = 0; e < entries; e++) {
      const j = dims[e]!;
      if (j < 0) {
        values[e] = 0;
        continue;
      }
      const uj = u[j]!;
      values[e] = squared ? uj * uj - 2 * uj * means[e]! + squares[e]! : -uj * means[e]!;
    }
    return;
  }
  for (let e = 0, at = 0; e < entries; e++) {
    let value = 0;
    for (let k = 0; k < width; k++, at++) {
      const j = dims[at]!;
      if (j < 0) continue;
      const uj = u[j]!;
      value += squared ? uj * uj - 2 * uj * means[at]! + squares[at]! : -uj * means[at]!;
    }
    values[e] = value;
  }
}

/**
 * u = source x R with the rows of R taken four at a time: a quarter of the loads and stores of
 * `out` of the one-row loop (`transformRowImpl`), whose sums it matches up to float64 rounding.
 */
function rowTimesRotationImpl(quantizer: OsqQuantizer, source: Float64Array, u: Float64Array): void {
  const { dim, rotation } = quantizer;
  u.fill(0);
  let i = 0;
  for (; i + 4 <= dim; i += 4) {
    const a = source[i]!;
    const b = source[i + 1]!;
    const c = source[i + 2]!;
    const d = source[i + 3]!;
    const ra = i * dim;
    const rb = ra + dim;
    const rc = rb + dim;
    const rd = rc + dim;
    for (let j = 0; j < dim; j++) {
      u[j] =
        u[j]! + a * rotation[ra + j]! + b * rotation[rb + j]! + c * rotation[rc + j]! + d * rotation[rd + j]!;
    }
  }
  for (; i < dim; i++) {
    const a = source[i]!;
    const ra = i * dim;
    for (let j = 0; j < dim; j++) u[j] = u[j]! + a * rotation[ra + j]!;
  }
}

function quantiseTables(
  values: Float64Array,
  groups: number,
  constant: number,
  minimums: Float64Array,
  lut: Uint8Array,
): { scale: number; offset: number; maxError: number; saturation: number } {
  let widest = 0;
  let ranges = 0;
  let offset = constant;
  for (let g = 0, at = 0; g < groups; g++) {
    let lo = values[at]!;
    let hi = lo;
    for (let x = 1; x < 16; x++) {
      const value = values[at + x]!;
      if (value < lo) lo = value;
      if (value > hi) hi = value;
    }
    at += 16;
    minimums[g] = lo;
    offset += lo;
    ranges += hi - lo;
    if (hi - lo > widest) widest = hi - lo;
  }
  // A few groups (the high-variance dimensions of a clustered partition) can span a hundred times
  // the range of the rest; one scale for all would leave the rest one or two levels. Entries above
  // FAST_SCAN_CLIP x the mean range saturate instead: a row that far out in one dimension is
  // far from the query anyway, and every other group keeps its resolution.
  const clipped = Math.min(widest, (FAST_SCAN_CLIP * ranges) / Math.max(groups, 1));
  const top = Math.min(FAST_SCAN_MAX_ENTRY, Math.floor(FAST_SCAN_MAX_SUM / Math.max(groups, 1)));
  const scale = clipped > 0 ? top / clipped : 1;
  for (let g = 0, at = 0; g < groups; g++) {
    const lo = minimums[g]!;
    for (let x = 0; x < 16; x++, at++) {
      // Round half up; entries past the clip saturate at `top`.
      lut[at] = Math.min(Math.floor((values[at]! - lo) * scale + 0.5), top);
    }
  }
  return { scale, offset, maxError: groups / (2 * scale), saturation: top / scale };
}
