import { assertMetric, type Metric } from '../distance/metric.ts';
import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { assertFinite } from '../linalg/matrix-validation.ts';
import { encodeBinaryRowImpl } from './binary-code.ts';
import { float32Above, float32Below } from './float32-rounding.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import { transformRowImpl } from './osq-transform.ts';
import { type OsqScanPlan, scanPlanOf } from './scan-plan.ts';
import { unitRowImpl } from './unit-rows.ts';

/**
 * Per-query lookup tables for one partition's quantizer. Each of `lower`, `upper`, `adc` holds a
 * full table set laid out by `plan` (256 entries per code byte, then one table per straddling
 * dimension); a vector's value is the table's constant plus the sum of its lookups.
 */
export interface OsqQueryTables {
  readonly metric: Metric;
  readonly plan: OsqScanPlan;
  /** Lower bounds of the distance contributions, rounded down to float32. */
  readonly lower: Float32Array;
  /** Upper bounds of the distance contributions, rounded up to float32. */
  readonly upper: Float32Array;
  /** Contributions of the reconstructed vector (asymmetric distance computation, ADC). */
  readonly adc: Float32Array;
  /** Contribution of the 0-bit dimensions and, for `ip` / `cosine`, of the partition mean (and the 1 of 1 - cos). */
  readonly lowerConstant: number;
  readonly upperConstant: number;
  readonly adcConstant: number;
  /** The query's sign bits over the quantizer's `binaryDims` (for `hammingScan`). */
  readonly binary: Uint32Array;
  /** True when only `adc` was built (`lower` and `upper` are empty): usable with `scanAdc` only. */
  readonly adcOnly: boolean;
}

/**
 * Builds the lookup tables of `query` (a LeanVec-reduced query of the quantizer's dimension) for
 * `metric`, the metric of the reduced vectors (lower is closer, as everywhere in squash).
 * An `l2` or `ip` quantizer serves `l2` and `ip`; a `cosine` quantizer (trained on unit rows)
 * serves `cosine` only.
 *
 * - `l2`: the query is transformed like the data, u = (q - mean) R, and squared L2 distance
 *   ||q - y||^2 = sum_j (u_j - z_j)^2 (R is orthonormal). Per cell [lo, hi] with representative
 *   r: lower bound (distance from u_j to the interval)^2, upper bound max((u_j - lo)^2,
 *   (u_j - hi)^2), ADC (u_j - r)^2.
 * - `ip`: distance -(q . y) = -(q . mean) - sum_j u_j z_j with u = q R (no centring): the mean
 *   contributes the constant -(q . mean), which differs between partitions, so it is kept in the
 *   constants. Per cell: bounds min / max of -u_j lo and -u_j hi, ADC -u_j r.
 * - `cosine`: as `ip` with the query scaled to unit length, plus 1: the distance 1 - cos(q, y)
 *   is 1 - q' . y' for unit q', y', and the codes hold y'. A zero query has distance 1 to all.
 *
 * A 0-bit dimension has one cell, the whole training range, with the training mean (about 0) as
 * representative; its contribution is the same for every vector and goes to the constants
 * (for `l2`, ADC adds (u_j - mean_j)^2, not (u_j - mean_j)^2 + variance_j: ADC is the distance to
 * the reconstruction everywhere, so it underestimates by `meanSquaredError` on average).
 *
 * Bounds hold for vectors inside the training range (see `OsqQuantizer`), up to float32
 * rounding of the summed result. Cost: dim^2 for the transform plus 3 x 256 table entries per
 * code byte: about 0.1 ms for 64 dims at 4 bits (32 code bytes), the time the TypeScript scan
 * needs for 500 rows.
 *
 * @throws DimensionMismatchError when `query` does not have the quantizer's dimension.
 * @throws InvalidArgumentError when `metric` does not suit the quantizer (see above) or a value
 *   is not finite.
 */
export function prepareOsqQuery(
  quantizer: OsqQuantizer,
  query: Float32Array,
  metric: Metric = quantizer.metric,
): OsqQueryTables {
  assertQuerySuitsQuantizer(quantizer, query, metric);
  return prepareOsqQueryImpl(quantizer, query, metric);
}

/**
 * The boundary check of every per-query table builder (`prepareOsqQuery`, `prepareFastScanQuery`):
 * a metric the quantizer was trained for, the quantizer's dimension, finite values.
 */
export function assertQuerySuitsQuantizer(
  quantizer: OsqQuantizer,
  query: Float32Array,
  metric: Metric,
): void {
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
}

/** `prepareOsqQuery` without validation. */
export function prepareOsqQueryImpl(
  quantizer: OsqQuantizer,
  query: Float32Array,
  metric: Metric,
  adcOnly = false,
): OsqQueryTables {
  const { dim } = quantizer;
  const plan = scanPlanOf(quantizer.layout);
  const { u, constant } = transformQueryImpl(quantizer, query, metric);
  const cellTables = CELL_TABLES.reset(quantizer, u, metric === 'l2', adcOnly);
  // One allocation for the table sets (only ADC when the bounds are not wanted).
  const all = new Float32Array((adcOnly ? 1 : 3) * plan.tableLength);
  const adc = all.subarray(0, plan.tableLength);
  const lower = adcOnly ? EMPTY_TABLE : all.subarray(plan.tableLength, 2 * plan.tableLength);
  const upper = adcOnly ? EMPTY_TABLE : all.subarray(2 * plan.tableLength);
  if (adcOnly) {
    fillAdcSegmentTables(plan, cellTables, adc);
  } else {
    fillSegmentTables(plan, cellTables, lower, upper, adc);
  }
  fillStraddlerTables(plan, cellTables, lower, upper, adc);
  let lowerConstant = constant;
  let upperConstant = constant;
  let adcConstant = constant;
  for (let j = 0; j < dim; j++) {
    if (quantizer.layout.bitsPerDim[j] !== 0) continue;
    cellTables.compute(j);
    lowerConstant += cellTables.lower[0]!;
    upperConstant += cellTables.upper[0]!;
    adcConstant += cellTables.adc[0]!;
  }
  const binary = new Uint32Array(quantizer.binaryWordsPerVector);
  if (quantizer.binaryDims > 0) encodeBinaryRowImpl(u, quantizer.binaryDims, binary, 0);
  return {
    metric,
    plan,
    lower,
    upper,
    adc,
    lowerConstant: float32Below(lowerConstant),
    upperConstant: float32Above(upperConstant),
    adcConstant,
    binary,
    adcOnly,
  };
}

/**
 * The query in the quantizer's transformed coordinates, u (see `prepareOsqQuery`: centred for
 * `l2`, scaled to unit length for `cosine`), and the distance constant that does not depend on
 * the codes: -(q . mean) for `ip`, 1 - (q' . mean) for `cosine`, 0 for `l2`.
 */
export function transformQueryImpl(
  quantizer: OsqQuantizer,
  query: Float32Array,
  metric: Metric,
): { readonly u: Float64Array; readonly constant: number } {
  const { dim } = quantizer;
  const source = metric === 'cosine' ? new Float32Array(dim) : query;
  if (metric === 'cosine') unitRowImpl(query, 0, dim, source, 0);
  const u = new Float64Array(dim);
  transformRowImpl(quantizer.rotation, metric === 'l2' ? quantizer.mean : null, dim, source, 0, u);
  let constant = 0;
  if (metric !== 'l2') {
    let dot = 0;
    for (let i = 0; i < dim; i++) dot += source[i]! * quantizer.mean[i]!;
    constant = (metric === 'cosine' ? 1 : 0) - dot;
  }
  return { u, constant };
}

/**
 * Float64 per-cell contributions of one dimension at a time. One shared instance: JavaScript runs
 * one call at a time and nothing here awaits, so reuse is safe and saves allocations per query.
 */
class CellTables {
  readonly lower = new Float64Array(256);
  readonly upper = new Float64Array(256);
  readonly adc = new Float64Array(256);
  private quantizer: OsqQuantizer | undefined;
  private u: Float64Array = new Float64Array(0);
  /** Squared L2 contributions when true, negative inner-product contributions when false. */
  private squared = true;
  private adcOnly = false;

  reset(quantizer: OsqQuantizer, u: Float64Array, squared: boolean, adcOnly = false): this {
    this.quantizer = quantizer;
    this.u = u;
    this.squared = squared;
    this.adcOnly = adcOnly;
    return this;
  }

  /** Fills the first cells(j) entries of each table for dimension j; returns cells(j). */
  compute(j: number): number {
    const { cellOffsets, boundaries, representatives } = this.quantizer!;
    const cells = cellOffsets[j + 1]! - cellOffsets[j]!;
    const edges = cellOffsets[j]! + j;
    const uj = this.u[j]!;
    for (let c = 0; c < cells; c++) {
      const lo = boundaries[edges + c]!;
      const hi = boundaries[edges + c + 1]!;
      const r = representatives[cellOffsets[j]! + c]!;
      if (this.adcOnly) {
        this.adc[c] = this.squared ? (uj - r) * (uj - r) : -uj * r;
      } else if (this.squared) {
        const below = lo - uj;
        const above = uj - hi;
        const gap = Math.max(below, above, 0);
        this.lower[c] = gap * gap;
        this.upper[c] = Math.max((uj - lo) * (uj - lo), (uj - hi) * (uj - hi));
        this.adc[c] = (uj - r) * (uj - r);
      } else {
        this.lower[c] = Math.min(-uj * lo, -uj * hi);
        this.upper[c] = Math.max(-uj * lo, -uj * hi);
        this.adc[c] = -uj * r;
      }
    }
    return cells;
  }
}

/**
 * Entry x of segment s's table: the summed contributions of the dimensions wholly in byte s.
 * Those dimensions tile a run of consecutive bits of the byte, so their sums are built over that
 * run only (2^width entries, expanding one dimension at a time), rounded once, then spread over
 * the 256 byte values, whose other bits (parts of straddling dimensions) do not matter here.
 */
const CELL_TABLES = new CellTables();

/** Scratch of `fillSegmentTables` (shared, see `CellTables`). */
const sumLower = new Float64Array(256);
const sumUpper = new Float64Array(256);
const sumAdc = new Float64Array(256);
const runLower = new Float32Array(256);
const runUpper = new Float32Array(256);
const runAdc = new Float32Array(256);

function fillSegmentTables(
  plan: OsqScanPlan,
  cellTables: CellTables,
  lower: Float32Array,
  upper: Float32Array,
  adc: Float32Array,
): void {
  for (let s = 0; s < plan.bytesPerVector; s++) {
    const first = plan.fieldStarts[s]!;
    const end = plan.fieldStarts[s + 1]!;
    let size = 1;
    sumLower[0] = 0;
    sumUpper[0] = 0;
    sumAdc[0] = 0;
    for (let f = first; f < end; f++) {
      const cells = cellTables.compute(plan.fieldDims[f]!);
      // In place, from the top: entry i moves to i * cells + c, never below i.
      for (let i = size - 1; i >= 0; i--) {
        const l = sumLower[i]!;
        const u = sumUpper[i]!;
        const a = sumAdc[i]!;
        const base = i * cells;
        for (let c = 0; c < cells; c++) {
          sumLower[base + c] = l + cellTables.lower[c]!;
          sumUpper[base + c] = u + cellTables.upper[c]!;
          sumAdc[base + c] = a + cellTables.adc[c]!;
        }
      }
      size *= cells;
    }
    for (let i = 0; i < size; i++) {
      runLower[i] = float32Below(sumLower[i]!);
      runUpper[i] = float32Above(sumUpper[i]!);
      runAdc[i] = sumAdc[i]!;
    }
    const shift = end > first ? plan.fieldShifts[end - 1]! : 0;
    const mask = size - 1;
    const offset = s * 256;
    for (let x = 0; x < 256; x++) {
      const i = (x >>> shift) & mask;
      lower[offset + x] = runLower[i]!;
      upper[offset + x] = runUpper[i]!;
      adc[offset + x] = runAdc[i]!;
    }
  }
}

/** `fillSegmentTables` for the ADC table alone (see `prepareOsqQueryImpl`'s `adcOnly`). */
function fillAdcSegmentTables(plan: OsqScanPlan, cellTables: CellTables, adc: Float32Array): void {
  for (let s = 0; s < plan.bytesPerVector; s++) {
    const first = plan.fieldStarts[s]!;
    const end = plan.fieldStarts[s + 1]!;
    let size = 1;
    sumAdc[0] = 0;
    for (let f = first; f < end; f++) {
      const cells = cellTables.compute(plan.fieldDims[f]!);
      for (let i = size - 1; i >= 0; i--) {
        const a = sumAdc[i]!;
        const base = i * cells;
        for (let c = 0; c < cells; c++) sumAdc[base + c] = a + cellTables.adc[c]!;
      }
      size *= cells;
    }
    const shift = end > first ? plan.fieldShifts[end - 1]! : 0;
    const mask = size - 1;
    const offset = s * 256;
    for (let x = 0; x < 256; x++) adc[offset + x] = sumAdc[(x >>> shift) & mask]!;
  }
}

const EMPTY_TABLE = new Float32Array(0);

function fillStraddlerTables(
  plan: OsqScanPlan,
  cellTables: CellTables,
  lower: Float32Array,
  upper: Float32Array,
  adc: Float32Array,
): void {
  for (let k = 0; k < plan.straddlerDims.length; k++) {
    const cells = cellTables.compute(plan.straddlerDims[k]!);
    const offset = plan.straddlerTableOffsets[k]!;
    const bounds = lower.length > 0;
    for (let c = 0; c < cells; c++) {
      if (bounds) {
        lower[offset + c] = float32Below(cellTables.lower[c]!);
        upper[offset + c] = float32Above(cellTables.upper[c]!);
      }
      adc[offset + c] = cellTables.adc[c]!;
    }
  }
}
