import type { KernelBackend } from '../wasm/choose-backend.ts';
import type { OsqQueryTables } from './prepare-osq-query.ts';

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
export type OsqScannerBackend = KernelBackend;

export interface CreateOsqScannerOptions {
  /** @default 'auto' */
  readonly backend?: OsqScannerBackend;
}
