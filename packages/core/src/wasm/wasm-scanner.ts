import type { Metric } from '../distance/metric.ts';
import { normImpl } from '../distance/reference-kernels.ts';
import type { VectorScanner } from '../distance/vector-scanner.ts';
import { DimensionMismatchError, InvalidArgumentError, SquashError } from '../errors/index.ts';
import { instantiateKernels, type KernelExports, wasmUnavailableReason } from './kernels-module.ts';
import { alignUp, ensureMemory } from './linear-memory.ts';

/**
 * The WebAssembly SIMD scanner. Each scanner owns one instance of the kernels module, so its
 * linear memory holds exactly one matrix:
 *
 *   heapBase | base matrix (n x dim f32) | row norms (n f64, cosine only) | query (dim f32)
 *            | out scratch (capacity f32) | row-id scratch (capacity u32)
 *
 * Construction copies the matrix in once (n * dim * 4 bytes, so the scanner costs that much
 * memory on top of the caller's array; a 60,000 x 784 matrix is 188 MB) and computes the cosine
 * row norms in float64 with the TypeScript reference `normImpl`, so the zero-vector rule (distance
 * 1) is decided exactly as `TsVectorScanner` decides it. Calls then copy only the query in and the
 * distances out: no allocation beyond one small typed-array view per call. The scratch grows
 * (by `memory.grow`) only when a `rowIds` list is longer than any before.
 *
 * Use `createScanner` to build one: the constructor assumes validated input (dim an integer >= 1,
 * base.length a multiple of dim). It throws `SquashError('WASM_UNAVAILABLE')` when WebAssembly
 * SIMD is missing or the matrix does not fit in a 4 GiB 32-bit address space.
 */
export class WasmVectorScanner implements VectorScanner {
  readonly backend = 'wasm' as const;
  readonly n: number;
  private readonly kernels: KernelExports;
  private readonly baseOffset: number;
  private readonly rowNormsOffset: number;
  private readonly queryOffset: number;
  private readonly scratchOffset: number;
  private scratchCapacity = 0;
  private outOffset = 0;
  private idsOffset = 0;
  private f32 = new Float32Array(0);
  private u32 = new Uint32Array(0);

  constructor(
    readonly metric: Metric,
    base: Float32Array,
    readonly dim: number,
  ) {
    const kernels = instantiateKernels();
    if (kernels === undefined) {
      throw new SquashError(
        'WASM_UNAVAILABLE',
        `WebAssembly kernels unavailable: ${wasmUnavailableReason()}`,
      );
    }
    this.kernels = kernels;
    this.n = Math.floor(base.length / dim);
    this.baseOffset = alignUp(kernels.heapBase());
    this.rowNormsOffset = alignUp(this.baseOffset + this.n * dim * 4);
    this.queryOffset = alignUp(this.rowNormsOffset + (metric === 'cosine' ? this.n * 8 : 0));
    this.scratchOffset = alignUp(this.queryOffset + dim * 4);
    this.reserveScratch(Math.max(this.n, 1));
    this.f32.set(base.subarray(0, this.n * dim), this.baseOffset / 4);
    if (metric === 'cosine') this.storeRowNorms(base);
  }

  distancesToAll(query: Float32Array, out: Float32Array): void {
    this.checkQuery(query);
    checkOut(out, this.n);
    const queryNorm = this.loadQuery(query);
    const { kernels, queryOffset: q, baseOffset: b, n, dim, outOffset: o } = this;
    switch (this.metric) {
      case 'l2':
        kernels.l2All(q, b, n, dim, o);
        break;
      case 'ip':
        kernels.negDotAll(q, b, n, dim, o);
        break;
      case 'cosine':
        kernels.cosineAll(q, b, n, dim, this.rowNormsOffset, queryNorm, o);
        break;
    }
    out.set(this.f32.subarray(o / 4, o / 4 + n));
  }

  distancesToRows(query: Float32Array, rowIds: Uint32Array, out: Float32Array): void {
    this.checkQuery(query);
    const count = rowIds.length;
    checkOut(out, count);
    if (count > this.scratchCapacity) this.reserveScratch(Math.max(count, 2 * this.scratchCapacity));
    const queryNorm = this.loadQuery(query);
    this.u32.set(rowIds, this.idsOffset / 4);
    const { kernels, queryOffset: q, baseOffset: b, n, dim, idsOffset: ids, outOffset: o } = this;
    let bad: number;
    switch (this.metric) {
      case 'l2':
        bad = kernels.l2Rows(q, b, n, dim, ids, count, o);
        break;
      case 'ip':
        bad = kernels.negDotRows(q, b, n, dim, ids, count, o);
        break;
      case 'cosine':
        bad = kernels.cosineRows(q, b, n, dim, this.rowNormsOffset, queryNorm, ids, count, o);
        break;
    }
    if (bad >= 0) {
      throw new InvalidArgumentError(
        'rowIds',
        `rowIds[${bad}] is ${rowIds[bad]}; allowed: row ids 0..${n - 1}`,
      );
    }
    out.set(this.f32.subarray(o / 4, o / 4 + count));
  }

  /**
   * Copies the query into its region and returns its float64 norm (0 unless the metric is cosine).
   * Under cosine the copy is scaled to unit length (see `cosineAll` in the kernels for why).
   */
  private loadQuery(query: Float32Array): number {
    const start = this.queryOffset / 4;
    if (this.metric !== 'cosine') {
      this.f32.set(query, start);
      return 0;
    }
    const norm = normImpl(query, 0, this.dim);
    const scale = norm === 0 ? 0 : 1 / norm;
    for (let j = 0; j < this.dim; j++) this.f32[start + j] = query[j]! * scale;
    return norm;
  }

  private checkQuery(query: Float32Array): void {
    if (query.length !== this.dim) {
      throw new DimensionMismatchError(
        this.dim,
        query.length,
        `query vector has ${query.length} dimensions; the data has ${this.dim}`,
      );
    }
  }

  private storeRowNorms(base: Float32Array): void {
    const norms = new Float64Array(this.kernels.memory.buffer, this.rowNormsOffset, this.n);
    for (let i = 0; i < this.n; i++) norms[i] = normImpl(base, i * this.dim, this.dim);
  }

  /** Makes room for `capacity` outputs and row ids at the end of memory, growing it if needed. */
  private reserveScratch(capacity: number): void {
    const outOffset = this.scratchOffset;
    const idsOffset = alignUp(outOffset + capacity * 4);
    const endBytes = idsOffset + capacity * 4;
    this.growMemoryTo(endBytes, capacity);
    this.scratchCapacity = capacity;
    this.outOffset = outOffset;
    this.idsOffset = idsOffset;
  }

  private growMemoryTo(endBytes: number, capacity: number): void {
    const memory = this.kernels.memory;
    ensureMemory(
      memory,
      endBytes,
      `the WebAssembly scanner of ${this.n} x ${this.dim} float32 rows and ${capacity} scratch rows`,
    );
    // Growing detaches the old buffer, so the views are re-created from the current one.
    this.f32 = new Float32Array(memory.buffer);
    this.u32 = new Uint32Array(memory.buffer);
  }
}

function checkOut(out: Float32Array, needed: number): void {
  if (out.length < needed) {
    throw new InvalidArgumentError('out', `out has length ${out.length}; allowed: at least ${needed}`);
  }
}
