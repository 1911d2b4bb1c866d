import { SquashError } from '../errors/index.ts';
import { instantiateKernels, type KernelExports, wasmUnavailableReason } from '../wasm/kernels-module.ts';
import { alignUp, ensureMemory } from '../wasm/linear-memory.ts';
import type { OsqScanner } from './osq-scanner.ts';
import type { OsqQueryTables } from './prepare-osq-query.ts';
import { assertBoundsTables, assertScanArguments } from './scan-osq.ts';
import { assertSamePlan, type OsqScanPlan } from './scan-plan.ts';

/** The OSQ exports of the kernels module (`assembly/osq-scan.ts`); every `...Ptr` is a byte offset. */
export interface OsqKernelExports extends KernelExports {
  osqScanOne(
    codesPtr: number,
    n: number,
    planPtr: number,
    tablePtr: number,
    constant: number,
    idsPtr: number,
    useIds: number,
    count: number,
    outPtr: number,
  ): void;
  osqScanPair(
    codesPtr: number,
    n: number,
    planPtr: number,
    tableA: number,
    constantA: number,
    tableB: number,
    constantB: number,
    idsPtr: number,
    useIds: number,
    count: number,
    outA: number,
    outB: number,
  ): void;
  osqAdcSegmentMajor(
    codesPtr: number,
    n: number,
    planPtr: number,
    tablePtr: number,
    constant: number,
    idsPtr: number,
    useIds: number,
    count: number,
    outPtr: number,
  ): void;
}

/** A fresh kernels instance with the OSQ scan, or undefined. */
function instantiateOsqKernels(): OsqKernelExports | undefined {
  const kernels = instantiateKernels();
  return kernels !== undefined && hasOsqScan(kernels) ? kernels : undefined;
}

function hasOsqScan(kernels: KernelExports): kernels is OsqKernelExports {
  const candidate = kernels as Partial<OsqKernelExports>;
  return (
    typeof candidate.osqScanOne === 'function' &&
    typeof candidate.osqScanPair === 'function' &&
    typeof candidate.osqAdcSegmentMajor === 'function'
  );
}

let missingExports: boolean | undefined;

/** Why the WebAssembly OSQ scanner cannot be built here, or undefined when it can. */
export function osqWasmUnavailableReason(): string | undefined {
  const reason = wasmUnavailableReason();
  if (reason !== undefined) return reason;
  missingExports ??= instantiateOsqKernels() === undefined;
  return missingExports
    ? 'the kernels module has no OSQ scan (assembly/index.ts must re-export ./osq-scan)'
    : undefined;
}

/**
 * The WebAssembly `OsqScanner`: one kernels instance per partition, its memory laid out as
 *
 *   heapBase | codes (n x bytesPerVector) | plan words | lower, adc, upper tables
 *            | 3 outputs (capacity f32 each) | row ids (capacity u32)
 *
 * The codes are copied in once; each scan copies the query's tables in (3 x tableLength f32,
 * 24-100 KB for 32-100 code bytes), the row ids in and the outputs out.
 */
export class WasmOsqScanner implements OsqScanner {
  readonly backend = 'wasm' as const;
  private readonly kernels: OsqKernelExports;
  private readonly codesOffset: number;
  private readonly planOffset: number;
  private readonly tableOffsets: readonly [number, number, number];
  private readonly scratchOffset: number;
  private capacity = 0;
  private outOffsets: readonly [number, number, number] = [0, 0, 0];
  private idsOffset = 0;
  private memoryF32 = new Float32Array(0);
  private memoryU32 = new Uint32Array(0);

  /**
   * Assumes `codes` holds n vectors of `plan`'s layout (see `createOsqScanner`). `kernels` is a
   * seam for tests and custom builds: by default a fresh instance of the packaged module.
   */
  constructor(
    private readonly plan: OsqScanPlan,
    codes: Uint8Array,
    readonly n: number,
    kernels: OsqKernelExports | undefined = instantiateOsqKernels(),
  ) {
    if (kernels === undefined) {
      throw new SquashError(
        'WASM_UNAVAILABLE',
        `WebAssembly OSQ scan unavailable: ${osqWasmUnavailableReason()}`,
      );
    }
    this.kernels = kernels;
    const codesOffset = alignUp(kernels.heapBase());
    this.planOffset = alignUp(codesOffset + codes.length);
    const tables = alignUp(this.planOffset + 8 + 16 * plan.straddlerDims.length);
    const tableBytes = alignUp(plan.tableLength * 4);
    this.tableOffsets = [tables, tables + tableBytes, tables + 2 * tableBytes];
    this.scratchOffset = tables + 3 * tableBytes;
    this.reserve(Math.max(n, 1));
    new Uint8Array(kernels.memory.buffer).set(codes, codesOffset);
    this.codesOffset = codesOffset;
    this.storePlan();
  }

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
    if (count > this.capacity) this.reserve(Math.max(count, 2 * this.capacity));
    if (rowIds !== null) this.memoryU32.set(rowIds, this.idsOffset / 4);
    const useIds = rowIds === null ? 0 : 1;
    const { kernels, codesOffset: codes, planOffset: plan, n, idsOffset: ids } = this;
    const [lowerTable, adcTable, upperTable] = this.tableOffsets;
    const [lowerOut, adcOut, upperOut] = this.outOffsets;
    if (outLower !== null) this.memoryF32.set(tables.lower, lowerTable / 4);
    if (outAdc !== null) this.memoryF32.set(tables.adc, adcTable / 4);
    if (outUpper !== null) this.memoryF32.set(tables.upper, upperTable / 4);
    if (outLower !== null && outAdc !== null) {
      kernels.osqScanPair(
        codes,
        n,
        plan,
        lowerTable,
        tables.lowerConstant,
        adcTable,
        tables.adcConstant,
        ids,
        useIds,
        count,
        lowerOut,
        adcOut,
      );
    } else if (outLower !== null) {
      kernels.osqScanOne(codes, n, plan, lowerTable, tables.lowerConstant, ids, useIds, count, lowerOut);
    } else if (outAdc !== null) {
      kernels.osqScanOne(codes, n, plan, adcTable, tables.adcConstant, ids, useIds, count, adcOut);
    }
    if (outUpper !== null) {
      kernels.osqScanOne(codes, n, plan, upperTable, tables.upperConstant, ids, useIds, count, upperOut);
    }
    if (outLower !== null) outLower.set(this.memoryF32.subarray(lowerOut / 4, lowerOut / 4 + count));
    if (outAdc !== null) outAdc.set(this.memoryF32.subarray(adcOut / 4, adcOut / 4 + count));
    if (outUpper !== null) outUpper.set(this.memoryF32.subarray(upperOut / 4, upperOut / 4 + count));
  }

  scanAdc(tables: OsqQueryTables, rowIds: Uint32Array | null, out: Float32Array): void {
    assertSamePlan(this.plan, tables.plan);
    const count = assertScanArguments(this.n, rowIds, null, out, null);
    if (count > this.capacity) this.reserve(Math.max(count, 2 * this.capacity));
    if (rowIds !== null) this.memoryU32.set(rowIds, this.idsOffset / 4);
    const adcTable = this.tableOffsets[1];
    const adcOut = this.outOffsets[1];
    this.memoryF32.set(tables.adc, adcTable / 4);
    this.kernels.osqAdcSegmentMajor(
      this.codesOffset,
      this.n,
      this.planOffset,
      adcTable,
      tables.adcConstant,
      this.idsOffset,
      rowIds === null ? 0 : 1,
      count,
      adcOut,
    );
    out.set(this.memoryF32.subarray(adcOut / 4, adcOut / 4 + count));
  }

  private storePlan(): void {
    const { plan } = this;
    const words = this.memoryU32;
    const start = this.planOffset / 4;
    words[start] = plan.bytesPerVector;
    words[start + 1] = plan.straddlerDims.length;
    for (let t = 0; t < plan.straddlerDims.length; t++) {
      const at = start + 2 + 4 * t;
      words[at] = plan.straddlerSegments[t]!;
      words[at + 1] = plan.straddlerHighMasks[t]!;
      words[at + 2] = plan.straddlerLowBits[t]!;
      words[at + 3] = plan.straddlerTableOffsets[t]!;
    }
  }

  /** Makes room for `capacity` rows of outputs and ids, growing memory if needed. */
  private reserve(capacity: number): void {
    const outBytes = alignUp(capacity * 4);
    const outOffsets = [
      this.scratchOffset,
      this.scratchOffset + outBytes,
      this.scratchOffset + 2 * outBytes,
    ] as const;
    const idsOffset = this.scratchOffset + 3 * outBytes;
    const endBytes = idsOffset + capacity * 4;
    ensureMemory(this.kernels.memory, endBytes, 'the WebAssembly OSQ scanner');
    const memory = this.kernels.memory;
    // Growing detaches the old buffer, so the views are re-created from the current one.
    this.memoryF32 = new Float32Array(memory.buffer);
    this.memoryU32 = new Uint32Array(memory.buffer);
    this.capacity = capacity;
    this.outOffsets = outOffsets;
    this.idsOffset = idsOffset;
  }
}
