import { assertMetric, type Metric } from '../distance/metric.ts';
import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { assertFinite } from '../linalg/matrix-validation.ts';
import { type FastScanLayout, fastScanLayoutOf } from './fast-scan-layout.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import { transformQueryImpl } from './prepare-osq-query.ts';

/** Largest summed estimate: below 65,535, so 16-bit lanes never overflow and 65,535 keeps all. */
export const FAST_SCAN_MAX_SUM = 65_534;

/**
 * Largest table entry: 127, so the kernel adds two groups' lookups in 8-bit lanes before widening
 * (a third fewer instructions than widening each lookup; it costs one bit of table precision,
 * which the re-rank absorbs).
 */
export const FAST_SCAN_MAX_ENTRY = 127;

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
   * group's entry, half a unit each): groups / (2 scale), plus float rounding.
   */
  readonly maxError: number;
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
  assertMetric(metric);
  if ((metric === 'cosine') !== (quantizer.metric === 'cosine')) {
    const allowed = quantizer.metric === 'cosine' ? 'cosine' : 'l2, ip';
    throw new InvalidArgumentError(
      'metric',
      `metric is ${JSON.stringify(metric)}; a quantizer trained for ${quantizer.metric} allows: ${allowed}`,
    );
  }
  if (query.length !== quantizer.dim) {
    throw new DimensionMismatchError(
      quantizer.dim,
      query.length,
      `query vector has ${query.length} dimensions; the quantizer expects ${quantizer.dim}`,
    );
  }
  assertFinite('query', query, quantizer.dim);
  return prepareFastScanQueryImpl(quantizer, query, metric);
}

/** `prepareFastScanQuery` without validation. */
export function prepareFastScanQueryImpl(
  quantizer: OsqQuantizer,
  query: Float32Array,
  metric: Metric,
): FastScanTables {
  const layout = fastScanLayoutOf(quantizer.layout);
  const { u, constant: metricConstant } = transformQueryImpl(quantizer, query, metric);
  const squared = metric === 'l2';
  const { bitsPerDim } = quantizer.layout;
  let constant = metricConstant;
  for (let j = 0; j < quantizer.dim; j++) {
    if (bitsPerDim[j] === 0) constant += cellContribution(quantizer, u, squared, j, 0);
  }
  const values = groupValues(quantizer, layout, u, squared);
  return { layout, values, constant, ...quantiseTables(values, layout.groups, constant) };
}

/** ADC contribution of cell c of dimension j: (u_j - r)^2 for l2, -u_j r for ip and cosine. */
function cellContribution(
  quantizer: OsqQuantizer,
  u: Float64Array,
  squared: boolean,
  j: number,
  c: number,
): number {
  const r = quantizer.representatives[quantizer.cellOffsets[j]! + c]!;
  const uj = u[j]!;
  return squared ? (uj - r) * (uj - r) : -uj * r;
}

/** Reused per-member contributions of one group (one call at a time; nothing here awaits). */
const memberValues = new Float64Array(16);

function groupValues(
  quantizer: OsqQuantizer,
  layout: FastScanLayout,
  u: Float64Array,
  squared: boolean,
): Float64Array {
  const { groups, memberStarts, memberDims, memberShifts, memberWidths, memberDrops } = layout;
  const values = new Float64Array(groups * 16);
  for (let g = 0; g < groups; g++) {
    const group = values.subarray(g * 16, g * 16 + 16);
    for (let m = memberStarts[g]!; m < memberStarts[g + 1]!; m++) {
      const j = memberDims[m]!;
      const cells = 1 << memberWidths[m]!;
      const merged = 1 << memberDrops[m]!;
      for (let c = 0; c < cells; c++) {
        let sum = 0;
        for (let k = 0; k < merged; k++) sum += cellContribution(quantizer, u, squared, j, c * merged + k);
        memberValues[c] = sum / merged;
      }
      const shift = memberShifts[m]!;
      const mask = cells - 1;
      for (let x = 0; x < 16; x++) group[x] = group[x]! + memberValues[(x >>> shift) & mask]!;
    }
  }
  return values;
}

function quantiseTables(
  values: Float64Array,
  groups: number,
  constant: number,
): { lut: Uint8Array; scale: number; offset: number; maxError: number } {
  const minimums = new Float64Array(groups);
  let widest = 0;
  let offset = constant;
  for (let g = 0; g < groups; g++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let x = 0; x < 16; x++) {
      lo = Math.min(lo, values[g * 16 + x]!);
      hi = Math.max(hi, values[g * 16 + x]!);
    }
    minimums[g] = lo;
    offset += lo;
    widest = Math.max(widest, hi - lo);
  }
  const top = Math.min(FAST_SCAN_MAX_ENTRY, Math.floor(FAST_SCAN_MAX_SUM / Math.max(groups, 1)));
  const scale = widest > 0 ? top / widest : 1;
  const lut = new Uint8Array(groups * 16);
  for (let g = 0; g < groups; g++) {
    for (let x = 0; x < 16; x++) {
      lut[g * 16 + x] = Math.min(top, Math.round((values[g * 16 + x]! - minimums[g]!) * scale));
    }
  }
  return { lut, scale, offset, maxError: groups / (2 * scale) };
}
