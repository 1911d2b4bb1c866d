import { InvalidArgumentError } from '../errors/index.ts';
import { assertIntegerInRange } from '../linalg/matrix-validation.ts';
import { assertRowIds } from './pack-codes.ts';
import type { OsqQueryTables } from './prepare-osq-query.ts';
import type { OsqScanPlan } from './scan-plan.ts';

/**
 * Scans segment-major codes of n vectors with one query's tables: for the rows `rowIds` (all n
 * rows in order when null), writes the lower bound, the ADC estimate and, when asked, the upper
 * bound of each row's distance to `out...[k]` for the k-th row. Pass null for an output you do
 * not need; it is then not computed.
 *
 * Per row: bytesPerVector 256-entry table lookups plus one per straddling dimension (see
 * `OsqScanPlan`), per output; about 5-6 million rows/s for lower + ADC at 32 code bytes in
 * TypeScript on x86-64 (`createOsqScanner` picks the 3x faster WebAssembly kernel when present).
 * Guarantee (l2, ip and cosine alike): lower <= exact distance <= upper for every row inside the
 * quantizer's training range, up to float32 rounding of the sum (sums are accumulated in float64).
 *
 * @throws InvalidArgumentError when `codes` does not hold n vectors of the tables' layout, a row
 *   id is out of range, or an output is shorter than the number of rows scanned.
 */
export function scanOsq(
  tables: OsqQueryTables,
  codes: Uint8Array,
  n: number,
  rowIds: Uint32Array | null,
  outLower: Float32Array | null,
  outAdc: Float32Array | null,
  outUpper: Float32Array | null = null,
): void {
  assertCodes(tables.plan, codes, n);
  assertBoundsTables(tables, outLower, outUpper);
  const count = assertScanArguments(n, rowIds, outLower, outAdc, outUpper);
  scanOsqImpl(tables, codes, n, rowIds, count, outLower, outAdc, outUpper);
}

/** `codes` holds n vectors of `plan`'s layout. */
export function assertCodes(plan: OsqScanPlan, codes: Uint8Array, n: number): void {
  assertIntegerInRange('n', n, 0);
  const { bytesPerVector } = plan;
  if (!(codes instanceof Uint8Array) || codes.length !== n * bytesPerVector) {
    throw new InvalidArgumentError(
      'codes',
      `codes has ${codes?.length} bytes; ${n} vectors of ${bytesPerVector} bytes need ${n * bytesPerVector}`,
    );
  }
}

/** Checks row ids and outputs of a scan over n rows; returns the number of rows scanned. */
/** Rejects a bounds scan over tables built with `adcOnly` (their bound tables are empty). */
export function assertBoundsTables(
  tables: OsqQueryTables,
  outLower: Float32Array | null,
  outUpper: Float32Array | null,
): void {
  if (tables.adcOnly && (outLower !== null || outUpper !== null)) {
    throw new InvalidArgumentError(
      'tables',
      'these tables were prepared with adcOnly; allowed: ADC output only (prepare them without adcOnly for bounds)',
    );
  }
}

export function assertScanArguments(
  n: number,
  rowIds: Uint32Array | null,
  outLower: Float32Array | null,
  outAdc: Float32Array | null,
  outUpper: Float32Array | null,
): number {
  if (rowIds !== null) assertRowIds(rowIds, n);
  const count = rowIds === null ? n : rowIds.length;
  for (const [name, out] of [
    ['outLower', outLower],
    ['outAdc', outAdc],
    ['outUpper', outUpper],
  ] as const) {
    if (out !== null && !(out instanceof Float32Array && out.length >= count)) {
      throw new InvalidArgumentError(
        name,
        `${name} has ${out?.length} values; ${count} rows need a Float32Array of ${count}`,
      );
    }
  }
  return count;
}

/** `scanOsq` without validation. */
export function scanOsqImpl(
  tables: OsqQueryTables,
  codes: Uint8Array,
  n: number,
  rowIds: Uint32Array | null,
  count: number,
  outLower: Float32Array | null,
  outAdc: Float32Array | null,
  outUpper: Float32Array | null,
): void {
  const { plan } = tables;
  if (outLower !== null && outAdc !== null) {
    scanPairImpl(
      plan,
      tables.lower,
      tables.lowerConstant,
      tables.adc,
      tables.adcConstant,
      codes,
      n,
      rowIds,
      count,
      outLower,
      outAdc,
    );
  } else if (outLower !== null) {
    scanOneImpl(plan, tables.lower, tables.lowerConstant, codes, n, rowIds, count, outLower);
  } else if (outAdc !== null) {
    scanOneImpl(plan, tables.adc, tables.adcConstant, codes, n, rowIds, count, outAdc);
  }
  if (outUpper !== null)
    scanOneImpl(plan, tables.upper, tables.upperConstant, codes, n, rowIds, count, outUpper);
}

/**
 * One table set. Row-major over the rows: each row's bytesPerVector bytes sit n apart, but the
 * bytesPerVector streams advance together, so every cache line fetched serves 64 rows.
 */
function scanOneImpl(
  plan: OsqScanPlan,
  table: Float32Array,
  constant: number,
  codes: Uint8Array,
  n: number,
  rowIds: Uint32Array | null,
  count: number,
  out: Float32Array,
): void {
  const segments = plan.bytesPerVector;
  const straddlers = plan.straddlerDims.length;
  const { straddlerSegments, straddlerHighMasks, straddlerLowBits, straddlerTableOffsets } = plan;
  for (let k = 0; k < count; k++) {
    const i = rowIds === null ? k : rowIds[k]!;
    let sum = constant;
    for (let s = 0, at = i; s < segments; s++, at += n) sum += table[(s << 8) | codes[at]!]!;
    for (let t = 0; t < straddlers; t++) {
      const at = straddlerSegments[t]! * n + i;
      const low = straddlerLowBits[t]!;
      const cell = ((codes[at]! & straddlerHighMasks[t]!) << low) | (codes[at + n]! >>> (8 - low));
      sum += table[straddlerTableOffsets[t]! + cell]!;
    }
    out[k] = sum;
  }
}

/** Two table sets at once, sharing the code reads. */
function scanPairImpl(
  plan: OsqScanPlan,
  tableA: Float32Array,
  constantA: number,
  tableB: Float32Array,
  constantB: number,
  codes: Uint8Array,
  n: number,
  rowIds: Uint32Array | null,
  count: number,
  outA: Float32Array,
  outB: Float32Array,
): void {
  const segments = plan.bytesPerVector;
  const straddlers = plan.straddlerDims.length;
  const { straddlerSegments, straddlerHighMasks, straddlerLowBits, straddlerTableOffsets } = plan;
  for (let k = 0; k < count; k++) {
    const i = rowIds === null ? k : rowIds[k]!;
    let sumA = constantA;
    let sumB = constantB;
    for (let s = 0, at = i; s < segments; s++, at += n) {
      const entry = (s << 8) | codes[at]!;
      sumA += tableA[entry]!;
      sumB += tableB[entry]!;
    }
    for (let t = 0; t < straddlers; t++) {
      const at = straddlerSegments[t]! * n + i;
      const low = straddlerLowBits[t]!;
      const entry =
        straddlerTableOffsets[t]! +
        (((codes[at]! & straddlerHighMasks[t]!) << low) | (codes[at + n]! >>> (8 - low)));
      sumA += tableA[entry]!;
      sumB += tableB[entry]!;
    }
    outA[k] = sumA;
    outB[k] = sumB;
  }
}
