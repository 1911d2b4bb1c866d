import type { Metric } from './metric.ts';
import { cosineFromDot, dotImpl, l2Impl, normImpl } from './reference-kernels.ts';
import type { VectorScanner } from './vector-scanner.ts';

/**
 * The TypeScript reference scanner. It views `base` without copying; row norms for `cosine` are
 * computed once at construction.
 */
export class TsVectorScanner implements VectorScanner {
  readonly backend = 'ts' as const;
  readonly n: number;
  private readonly rowNorms: Float64Array | undefined;

  constructor(
    readonly metric: Metric,
    private readonly base: Float32Array,
    readonly dim: number,
  ) {
    this.n = dim === 0 ? 0 : Math.floor(base.length / dim);
    if (metric === 'cosine') {
      this.rowNorms = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) this.rowNorms[i] = normImpl(base, i * dim, dim);
    }
  }

  distancesToAll(query: Float32Array, out: Float32Array): void {
    const qNorm = this.metric === 'cosine' ? normImpl(query, 0, this.dim) : 0;
    for (let i = 0; i < this.n; i++) out[i] = this.distanceToRow(query, qNorm, i);
  }

  distancesToRows(query: Float32Array, rowIds: Uint32Array, out: Float32Array): void {
    const qNorm = this.metric === 'cosine' ? normImpl(query, 0, this.dim) : 0;
    for (let j = 0; j < rowIds.length; j++) out[j] = this.distanceToRow(query, qNorm, rowIds[j]!);
  }

  private distanceToRow(query: Float32Array, qNorm: number, row: number): number {
    const offset = row * this.dim;
    switch (this.metric) {
      case 'l2':
        return l2Impl(query, 0, this.base, offset, this.dim);
      case 'ip':
        return -dotImpl(query, 0, this.base, offset, this.dim);
      case 'cosine':
        return cosineFromDot(dotImpl(query, 0, this.base, offset, this.dim), qNorm, this.rowNorms![row]!);
    }
  }
}
