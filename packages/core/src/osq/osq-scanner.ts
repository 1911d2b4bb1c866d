import { InvalidArgumentError, SquashError } from '../errors/index.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import type { OsqQueryTables } from './prepare-osq-query.ts';
import { assertCodes, assertScanArguments, scanOsqImpl } from './scan-osq.ts';
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
    const count = assertScanArguments(this.n, rowIds, outLower, outAdc, outUpper);
    scanOsqImpl(tables, this.codes, this.n, rowIds, count, outLower, outAdc, outUpper);
  }
}
