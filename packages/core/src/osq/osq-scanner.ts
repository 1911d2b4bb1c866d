import { InvalidArgumentError, SquashError } from '../errors/index.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import type { OsqQueryTables } from './prepare-osq-query.ts';
import { assertBoundsTables, assertCodes, assertScanArguments, scanOsqImpl } from './scan-osq.ts';
import { assertSamePlan, type OsqScanPlan, scanPlanOf } from './scan-plan.ts';
import { osqWasmUnavailableReason, WasmOsqScanner } from './wasm-osq-scanner.ts';

/**
 * Scans one partition's OSQ codes with per-query tables (`prepareOsqQuery`). Same contract as
 * `scanOsq`; the codes are bound once at construction.
 */
export interface OsqScanner {
  readonly backend: 'ts' | 'wasm';
  /** Rows in the partition. */
  readonly n: number;
  /**
   * Writes the lower bound, ADC estimate and (optionally) upper bound of the rows `rowIds` (all n
   * rows when null) to `out...[k]` for the k-th row; null outputs are skipped.
   *
   * @throws InvalidArgumentError when the tables come from a different code layout, a row id is
   *   out of range, or an output is too short.
   */
  scan(
    tables: OsqQueryTables,
    rowIds: Uint32Array | null,
    outLower: Float32Array | null,
    outAdc: Float32Array | null,
    outUpper?: Float32Array | null,
  ): void;
  /**
   * ADC estimates only, for ranking candidates: `out[k]` for row `rowIds[k]` (or row k). Runs
   * segment by segment (each 1 KB table stays in cache, codes stream sequentially) and sums in
   * float32, so it is faster than `scan` and equals its ADC output within float32 rounding.
   */
  scanAdc(tables: OsqQueryTables, rowIds: Uint32Array | null, out: Float32Array): void;
}

/**
 * Which implementation `createOsqScanner` builds.
 * - `auto`: WebAssembly when the kernels module has the OSQ scan and the codes fit its memory,
 *   else the TypeScript reference. Results are identical either way (same f64 summation order).
 * - `ts`: the TypeScript reference; views `codes`, no copy.
 * - `wasm`: WebAssembly (copies the codes once; about 3x faster); throws
 *   `SquashError('WASM_UNAVAILABLE')` when it cannot.
 */
export type OsqScannerBackend = 'auto' | 'ts' | 'wasm';

export interface CreateOsqScannerOptions {
  /** @default 'auto' */
  readonly backend?: OsqScannerBackend;
}

/**
 * Binds the segment-major `codes` of n vectors (from `encodeOsq` with `quantizer`) to a scanner.
 *
 * @throws InvalidArgumentError when `codes` does not hold n vectors of the quantizer's layout or an
 *   option is unknown.
 * @throws SquashError `WASM_UNAVAILABLE` with `backend: 'wasm'` when the kernels are missing.
 */
export function createOsqScanner(
  quantizer: OsqQuantizer,
  codes: Uint8Array,
  n: number,
  options: CreateOsqScannerOptions = {},
): OsqScanner {
  for (const key of Object.keys(options)) {
    if (key !== 'backend') {
      throw new InvalidArgumentError('options', `unknown option ${JSON.stringify(key)}; allowed: backend`);
    }
  }
  const backend = options.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'ts' && backend !== 'wasm') {
    throw new InvalidArgumentError(
      'backend',
      `backend is ${JSON.stringify(backend)}; allowed: auto, ts, wasm`,
    );
  }
  const plan = scanPlanOf(quantizer.layout);
  assertCodes(plan, codes, n);
  if (backend === 'ts') return new TsOsqScanner(plan, codes, n);
  const reason = osqWasmUnavailableReason();
  if (reason !== undefined) {
    if (backend === 'wasm')
      throw new SquashError('WASM_UNAVAILABLE', `backend 'wasm' requested but ${reason}`);
    return new TsOsqScanner(plan, codes, n);
  }
  try {
    return new WasmOsqScanner(plan, codes, n);
  } catch (error) {
    if (backend === 'auto' && error instanceof SquashError && error.code === 'WASM_UNAVAILABLE') {
      return new TsOsqScanner(plan, codes, n);
    }
    throw error;
  }
}

/** The TypeScript reference behind `OsqScanner`. */
export class TsOsqScanner implements OsqScanner {
  readonly backend = 'ts' as const;

  constructor(
    private readonly plan: OsqScanPlan,
    private readonly codes: Uint8Array,
    readonly n: number,
  ) {}

  scan(
    tables: OsqQueryTables,
    rowIds: Uint32Array | null,
    outLower: Float32Array | null,
    outAdc: Float32Array | null,
    outUpper: Float32Array | null = null,
  ): void {
    assertSamePlan(this.plan, tables.plan);
    assertBoundsTables(tables, outLower, outUpper);
    const count = assertScanArguments(this.n, rowIds, outLower, outAdc, outUpper);
    scanOsqImpl(tables, this.codes, this.n, rowIds, count, outLower, outAdc, outUpper);
  }

  scanAdc(tables: OsqQueryTables, rowIds: Uint32Array | null, out: Float32Array): void {
    assertSamePlan(this.plan, tables.plan);
    const count = assertScanArguments(this.n, rowIds, null, out, null);
    scanAdcSegmentMajorImpl(tables, this.codes, this.n, rowIds, count, out);
  }
}

/** TypeScript reference of the segment-major ADC scan (see `OsqScanner.scanAdc`). */
export function scanAdcSegmentMajorImpl(
  tables: OsqQueryTables,
  codes: Uint8Array,
  n: number,
  rowIds: Uint32Array | null,
  count: number,
  out: Float32Array,
): void {
  const { plan, adc } = tables;
  out.fill(tables.adcConstant, 0, count);
  for (let s = 0; s < plan.bytesPerVector; s++) {
    const table = s << 8;
    const segment = s * n;
    if (rowIds === null) {
      for (let k = 0; k < count; k++) out[k] = out[k]! + adc[table | codes[segment + k]!]!;
    } else {
      for (let k = 0; k < count; k++) out[k] = out[k]! + adc[table | codes[segment + rowIds[k]!]!]!;
    }
  }
  const { straddlerSegments, straddlerHighMasks, straddlerLowBits, straddlerTableOffsets } = plan;
  for (let t = 0; t < plan.straddlerDims.length; t++) {
    const first = straddlerSegments[t]! * n;
    const low = straddlerLowBits[t]!;
    const mask = straddlerHighMasks[t]!;
    const offset = straddlerTableOffsets[t]!;
    for (let k = 0; k < count; k++) {
      const at = first + (rowIds === null ? k : rowIds[k]!);
      out[k] = out[k]! + adc[offset + (((codes[at]! & mask) << low) | (codes[at + n]! >>> (8 - low)))]!;
    }
  }
}
