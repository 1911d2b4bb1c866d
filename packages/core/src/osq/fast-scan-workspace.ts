/**
 * The buffers one fast-scan call reads and writes, shared by the TypeScript reference kernel and
 * the WebAssembly kernel (whose workspace is a set of views on its linear memory), so the
 * selection logic around the kernel (`FastScanner`) is written once.
 */
export interface FastScanWorkspace {
  /** Per query, groups x 16 uint8 table entries. */
  readonly luts: Uint8Array;
  /** Per query, one word per block (bit r: row 32b + r may be kept); null when no query filters. */
  readonly masks: Uint32Array | null;
  /** Per query: a row is kept when its summed estimate is below this (65,535 keeps every row). */
  readonly thresholds: Uint32Array;
  /** Per query: rows kept so far. */
  readonly counts: Uint32Array;
  /** Per query, `capacity` slots of kept row ids and their summed estimates. */
  readonly rows: Uint32Array;
  readonly values: Uint16Array;
  readonly capacity: number;
}

/**
 * Scans blocks `blockStart .. blockEnd - 1` for `queries` queries (see `assembly/fast-scan.ts` for
 * the contract); returns the block where it stopped.
 */
export type FastScanKernel = (
  blockStart: number,
  blockEnd: number,
  queries: number,
  workspace: FastScanWorkspace,
) => number;
