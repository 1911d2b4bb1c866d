import { bitmapWordCount } from '../bitmap/bitmap.ts';
import type { Metric } from '../distance/metric.ts';
import { InvalidArgumentError } from '../errors/index.ts';
import { chooseBackend, type KernelBackend } from '../wasm/choose-backend.ts';
import {
  FAST_SCAN_BLOCK_ROWS,
  type FastScanLayout,
  fastScanBlockCount,
  fastScanLayoutOf,
  packFastScanCodes,
} from './fast-scan-layout.ts';
import { fastScanBlocksImpl } from './fast-scan-reference.ts';
import { type FastScanTables, prepareFastScanQueryImpl } from './fast-scan-tables.ts';
import type { FastScanKernel, FastScanWorkspace } from './fast-scan-workspace.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import { assertCodes } from './scan-osq.ts';
import { scanPlanOf } from './scan-plan.ts';
import { fastScanWasmUnavailableReason, WasmFastScanKernel } from './wasm-fast-scan-kernel.ts';

/** One query of a fast-scan pass. */
export interface FastScanRequest {
  /** The query's tables for this partition's quantizer (`prepareFastScanQuery`). */
  readonly tables: FastScanTables;
  /** Rows that may be returned (bit i = row i, `bitmapWordCount(n)` words); null: every row. */
  readonly mask: Uint32Array | null;
  /** Rows wanted: the `keep` lowest estimates (fewer when fewer rows are allowed). */
  readonly keep: number;
}

/** The rows a fast-scan pass kept for one query, lowest estimate first (ties: lower row first). */
export interface FastScanSelection {
  readonly rows: Uint32Array;
  /** Their summed uint8 estimates: distance = tables.offset + value / tables.scale. */
  readonly values: Uint16Array;
}

/**
 * The fast-scan first stage over one partition's OSQ codes: the codes re-laid in 32-row blocks of
 * 4-bit groups (`packFastScanCodes`), scanned with per-query uint8 tables, 16-bit sums and a
 * per-query threshold that tightens as the scan goes (a block whose rows all miss it writes
 * nothing). `select` serves a batch: each block's codes are read once for all its queries.
 *
 * Memory: groups / 2 bytes per row (half a byte per 4-bit group), held once: in WebAssembly
 * memory for the WebAssembly backend, in a JavaScript array for the TypeScript one. Not safe for concurrent use (single-threaded JavaScript: do not
 * interleave across awaits).
 */
export class FastScanner {
  readonly layout: FastScanLayout;
  private readonly blocks: number;
  private tsWorkspace: FastScanWorkspace | undefined;

  private constructor(
    readonly backend: 'ts' | 'wasm',
    readonly n: number,
    layout: FastScanLayout,
    private readonly codes: Uint8Array,
    private readonly wasm: WasmFastScanKernel | undefined,
    private readonly quantizer: OsqQuantizer,
    private readonly packedBytes = codes.length,
  ) {
    this.layout = layout;
    this.blocks = fastScanBlockCount(n);
  }

  /**
   * Binds the segment-major OSQ `codes` of n rows (from `encodeOsq` with `quantizer`).
   *
   * @throws InvalidArgumentError when `codes` does not hold n rows of the quantizer's layout or
   *   the backend is unknown.
   * @throws SquashError `WASM_UNAVAILABLE` with `backend: 'wasm'` when the kernel cannot run.
   */
  static create(
    quantizer: OsqQuantizer,
    codes: Uint8Array,
    n: number,
    options: { readonly backend?: KernelBackend } = {},
  ): FastScanner {
    assertCodes(scanPlanOf(quantizer.layout), codes, n);
    const backend = chooseBackend(options.backend, fastScanWasmUnavailableReason);
    const layout = fastScanLayoutOf(quantizer.layout);
    const packed = packFastScanCodes(layout, quantizer.layout, codes, n);
    if (backend === 'ts') return new FastScanner('ts', n, layout, packed, undefined, quantizer);
    try {
      const kernel = new WasmFastScanKernel(packed, layout.groups, n, quantizer.rotation, quantizer.dim);
      // The kernel holds its own copy: keep none on the JavaScript side.
      return new FastScanner('wasm', n, layout, new Uint8Array(0), kernel, quantizer, packed.length);
    } catch (error) {
      if (options.backend === 'wasm') throw error;
      return new FastScanner('ts', n, layout, packed, undefined, quantizer);
    }
  }

  /**
   * The fast-scan tables of a LeanVec-reduced `query` under `metric` for this scanner's quantizer
   * (`prepareFastScanQueryImpl`, inputs assumed valid). The WebAssembly backend rotates the query
   * in float32 SIMD (about 10x faster than the float64 loop; the tables differ by float32
   * rounding, far below their uint8 quantisation step).
   */
  prepare(query: Float32Array, metric: Metric): FastScanTables {
    return this.wasm === undefined
      ? prepareFastScanQueryImpl(this.quantizer, query, metric)
      : prepareFastScanQueryImpl(this.quantizer, query, metric, this.wasm.rowTimesRotation);
  }

  /** Bytes of fast-scan codes held (and read by a full pass). */
  get codeBytes(): number {
    return this.packedBytes;
  }

  /**
   * For each request, the `keep` rows allowed by its mask with the lowest summed estimates, in
   * ascending (estimate, row) order. One pass over the codes for the whole batch.
   *
   * @throws InvalidArgumentError when tables come from another layout, a mask has the wrong
   *   length or `keep` is not a positive integer.
   */
  select(requests: readonly FastScanRequest[]): FastScanSelection[] {
    const queries = requests.length;
    if (queries === 0) return [];
    let maxKeep = 1;
    for (const request of requests) {
      this.assertRequest(request);
      maxKeep = Math.max(maxKeep, request.keep);
    }
    const capacity = Math.min(2 * maxKeep, this.blocks * FAST_SCAN_BLOCK_ROWS) + FAST_SCAN_BLOCK_ROWS;
    const masked = requests.some((r) => r.mask !== null);
    const workspace = this.reserve(queries, capacity, masked);
    const lutBytes = this.layout.groups * 16;
    requests.forEach((request, q) => {
      workspace.luts.set(request.tables.lut, q * lutBytes);
      if (workspace.masks !== null) {
        const words = workspace.masks.subarray(q * this.blocks, (q + 1) * this.blocks);
        if (request.mask === null) words.fill(0xffffffff);
        else words.set(request.mask);
      }
    });
    workspace.thresholds.fill(0xffff);
    workspace.counts.fill(0);
    const run = this.kernel();
    for (let block = 0; block < this.blocks; ) {
      block = run(block, this.blocks, queries, workspace);
      if (block === this.blocks) break;
      for (let q = 0; q < queries; q++) {
        if (workspace.counts[q]! + FAST_SCAN_BLOCK_ROWS > capacity) compact(workspace, q, requests[q]!.keep);
      }
    }
    return requests.map((request, q) => {
      compact(workspace, q, request.keep);
      sortKept(workspace, q);
      const start = q * capacity;
      const count = workspace.counts[q]!;
      return {
        rows: workspace.rows.slice(start, start + count),
        values: workspace.values.slice(start, start + count),
      };
    });
  }

  private assertRequest(request: FastScanRequest): void {
    if (request.tables.lut.length !== this.layout.groups * 16) {
      throw new InvalidArgumentError(
        'tables',
        `tables hold ${request.tables.lut.length / 16} groups; this scanner's codes have ${this.layout.groups}`,
      );
    }
    if (request.mask !== null && request.mask.length !== bitmapWordCount(this.n)) {
      throw new InvalidArgumentError(
        'mask',
        `mask has ${request.mask.length} words; ${this.n} rows need ${bitmapWordCount(this.n)}`,
      );
    }
    if (!Number.isInteger(request.keep) || request.keep < 1) {
      throw new InvalidArgumentError('keep', `keep is ${request.keep}; allowed: an integer >= 1`);
    }
  }

  private reserve(queries: number, capacity: number, masked: boolean): FastScanWorkspace {
    if (this.wasm !== undefined) return this.wasm.reserve(queries, capacity, masked);
    const current = this.tsWorkspace;
    if (
      current !== undefined &&
      current.counts.length === queries &&
      current.capacity === capacity &&
      (current.masks !== null) === masked
    ) {
      return current;
    }
    this.tsWorkspace = {
      luts: new Uint8Array(queries * this.layout.groups * 16),
      masks: masked ? new Uint32Array(queries * this.blocks) : null,
      thresholds: new Uint32Array(queries),
      counts: new Uint32Array(queries),
      rows: new Uint32Array(queries * capacity),
      values: new Uint16Array(queries * capacity),
      capacity,
    };
    return this.tsWorkspace;
  }

  private kernel(): FastScanKernel {
    if (this.wasm !== undefined) return this.wasm.run;
    const { codes, n } = this;
    const { groups } = this.layout;
    return (start, end, queries, workspace) =>
      fastScanBlocksImpl(codes, groups, n, start, end, queries, workspace);
  }
}

/** Reused histogram of `compact` (one call at a time; nothing here awaits). */
const histogram = new Uint32Array(256);

/**
 * Keeps query q's `keep` best rows by (estimate, row) and, once it holds `keep` rows, lowers its
 * threshold to the last kept estimate: a later row (a higher id) must then be strictly lower to
 * enter, which is exactly the top-`keep` rule with ties to the lower row. The cut is found by a
 * two-pass radix select on the 16-bit estimates (O(count), no sort); rows stay in scan order,
 * which is ascending row order, so among equal estimates the first ones kept are the lower rows.
 */
function compact(workspace: FastScanWorkspace, q: number, keep: number): void {
  const { rows, values, counts, thresholds, capacity } = workspace;
  const start = q * capacity;
  const count = counts[q]!;
  if (count <= keep) return;
  const cut = kthValue(values, start, count, keep);
  let below = 0;
  for (let k = start; k < start + count; k++) if (values[k]! < cut) below++;
  let ties = keep - below;
  let write = start;
  for (let k = start; k < start + count; k++) {
    const value = values[k]!;
    if (value < cut || (value === cut && ties-- > 0)) {
      rows[write] = rows[k]!;
      values[write++] = value;
    }
  }
  counts[q] = keep;
  thresholds[q] = Math.min(thresholds[q]!, cut);
}

/** The `keep`-th smallest (1-based) of `values[start .. start + count)`, by high then low byte. */
function kthValue(values: Uint16Array, start: number, count: number, keep: number): number {
  histogram.fill(0);
  for (let k = start; k < start + count; k++) histogram[values[k]! >>> 8]!++;
  let high = 0;
  let seen = 0;
  while (seen + histogram[high]! < keep) seen += histogram[high++]!;
  histogram.fill(0);
  for (let k = start; k < start + count; k++) if (values[k]! >>> 8 === high) histogram[values[k]! & 255]!++;
  let low = 0;
  while (seen + histogram[low]! < keep) seen += histogram[low++]!;
  return (high << 8) | low;
}

/** Sorts query q's kept rows by (estimate, row): the order `select` returns. */
function sortKept(workspace: FastScanWorkspace, q: number): void {
  const { rows, values, counts, capacity } = workspace;
  const start = q * capacity;
  const count = counts[q]!;
  const keys = new Float64Array(count);
  for (let k = 0; k < count; k++) keys[k] = values[start + k]! * 4_294_967_296 + rows[start + k]!;
  keys.sort();
  for (let k = 0; k < count; k++) {
    const key = keys[k]!;
    const value = Math.floor(key / 4_294_967_296);
    values[start + k] = value;
    rows[start + k] = key - value * 4_294_967_296;
  }
}
