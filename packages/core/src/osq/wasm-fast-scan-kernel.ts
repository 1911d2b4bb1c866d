import { instantiateKernels, type KernelExports, wasmUnavailableReason } from '../wasm/kernels-module.ts';
import { alignUp, ensureMemory } from '../wasm/linear-memory.ts';
import { fastScanBlockCount } from './fast-scan-layout.ts';
import type { FastScanKernel, FastScanWorkspace } from './fast-scan-workspace.ts';

/** The fast-scan export of the kernels module (`assembly/fast-scan.ts`); `...Ptr` are byte offsets. */
interface FastScanExports extends KernelExports {
  fastScanBlocks(
    codesPtr: number,
    groups: number,
    n: number,
    blockStart: number,
    blockEnd: number,
    queries: number,
    lutPtr: number,
    masksPtr: number,
    thresholdsPtr: number,
    countsPtr: number,
    rowsPtr: number,
    valuesPtr: number,
    capacity: number,
    scratchPtr: number,
  ): number;
  rowTimesMatrix(rowPtr: number, matrixPtr: number, dim: number, outPtr: number): void;
}

function hasFastScan(kernels: KernelExports): kernels is FastScanExports {
  const candidate = kernels as Partial<FastScanExports>;
  return typeof candidate.fastScanBlocks === 'function' && typeof candidate.rowTimesMatrix === 'function';
}

let missingExport: boolean | undefined;

/** Why the WebAssembly fast scan cannot run here, or undefined when it can. */
export function fastScanWasmUnavailableReason(): string | undefined {
  const reason = wasmUnavailableReason();
  if (reason !== undefined) return reason;
  if (missingExport === undefined) {
    const kernels = instantiateKernels();
    missingExport = kernels === undefined || !hasFastScan(kernels);
  }
  return missingExport
    ? 'the kernels module has no fast scan (assembly/index.ts must re-export ./fast-scan)'
    : undefined;
}

/**
 * The WebAssembly fast-scan kernel of one partition: its own kernels instance, memory laid out as
 *
 *   heapBase | codes | rotation (dim x dim f32) | query row, u (dim f32 each) | scratch (64 B)
 *            | luts | masks | thresholds | counts | rows | values
 *
 * The codes and the quantizer's rotation are copied in once; the workspace after them is sized
 * per call (it grows, never shrinks) and handed out as views, which the caller fills in place.
 */
export class WasmFastScanKernel {
  private readonly kernels: FastScanExports;
  private readonly codesOffset: number;
  private readonly scratchOffset: number;
  private shape = { queries: 0, capacity: 0, masked: false };
  private offsets = { luts: 0, masks: 0, thresholds: 0, counts: 0, rows: 0, values: 0 };
  private workspace: FastScanWorkspace | undefined;

  /** Assumes `fastScanWasmUnavailableReason()` is undefined (see `createFastScanner`). */
  private readonly rotationOffset: number;
  private readonly rowOffset: number;
  private readonly outOffset: number;

  constructor(
    codes: Uint8Array,
    private readonly groups: number,
    private readonly n: number,
    rotation: Float32Array,
    private readonly dim: number,
  ) {
    const kernels = instantiateKernels();
    if (kernels === undefined || !hasFastScan(kernels)) throw new Error('fast-scan kernels unavailable');
    this.kernels = kernels;
    this.codesOffset = alignUp(kernels.heapBase());
    this.rotationOffset = alignUp(this.codesOffset + codes.length);
    this.rowOffset = alignUp(this.rotationOffset + rotation.length * 4);
    this.outOffset = alignUp(this.rowOffset + dim * 4);
    this.scratchOffset = alignUp(this.outOffset + dim * 4);
    const buffer = ensureMemory(kernels.memory, this.scratchOffset + 64, 'the fast-scan codes');
    new Uint8Array(buffer).set(codes, this.codesOffset);
    new Float32Array(buffer, this.rotationOffset, rotation.length).set(rotation);
  }

  /** u = source x R in float32 SIMD (see `RowTimesRotation`). */
  readonly rowTimesRotation = (source: Float64Array, out: Float64Array): void => {
    const { buffer } = this.kernels.memory;
    if (this.rowView.buffer !== buffer) {
      this.rowView = new Float32Array(buffer, this.rowOffset, this.dim);
      this.outView = new Float32Array(buffer, this.outOffset, this.dim);
    }
    this.rowView.set(source);
    this.kernels.rowTimesMatrix(this.rowOffset, this.rotationOffset, this.dim, this.outOffset);
    out.set(this.outView);
  };

  private rowView = new Float32Array(0);
  private outView = new Float32Array(0);

  /** A workspace for `queries` queries of `capacity` slots each (with masks when `masked`). */
  reserve(queries: number, capacity: number, masked: boolean): FastScanWorkspace {
    const current = this.shape;
    if (
      this.workspace !== undefined &&
      this.kernels.memory.buffer === this.workspace.thresholds.buffer &&
      current.queries === queries &&
      current.capacity === capacity &&
      current.masked === masked
    ) {
      return this.workspace;
    }
    const blocks = fastScanBlockCount(this.n);
    const luts = alignUp(this.scratchOffset + 64);
    const masks = alignUp(luts + queries * this.groups * 16);
    const thresholds = alignUp(masks + (masked ? queries * blocks * 4 : 0));
    const counts = alignUp(thresholds + queries * 4);
    const rows = alignUp(counts + queries * 4);
    const values = alignUp(rows + queries * capacity * 4);
    const end = values + queries * capacity * 2;
    const buffer = ensureMemory(this.kernels.memory, end, 'the fast-scan workspace');
    this.offsets = { luts, masks, thresholds, counts, rows, values };
    this.shape = { queries, capacity, masked };
    this.workspace = {
      luts: new Uint8Array(buffer, luts, queries * this.groups * 16),
      masks: masked ? new Uint32Array(buffer, masks, queries * blocks) : null,
      thresholds: new Uint32Array(buffer, thresholds, queries),
      counts: new Uint32Array(buffer, counts, queries),
      rows: new Uint32Array(buffer, rows, queries * capacity),
      values: new Uint16Array(buffer, values, queries * capacity),
      capacity,
    };
    return this.workspace;
  }

  readonly run: FastScanKernel = (blockStart, blockEnd, queries, workspace) => {
    const { offsets } = this;
    return this.kernels.fastScanBlocks(
      this.codesOffset,
      this.groups,
      this.n,
      blockStart,
      blockEnd,
      queries,
      offsets.luts,
      workspace.masks === null ? 0 : offsets.masks,
      offsets.thresholds,
      offsets.counts,
      offsets.rows,
      offsets.values,
      workspace.capacity,
      this.scratchOffset,
    );
  };
}
