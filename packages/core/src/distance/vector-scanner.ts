import type { Metric } from './metric.ts';

/**
 * One-to-many distance evaluation over a fixed flat row-major matrix (n x dim).
 *
 * A scanner owns (or views) the matrix so that an implementation may keep it in its own memory:
 * the WebAssembly scanner copies the rows into linear memory once and then scans without copying.
 * Distances follow the `Metric` rule: lower is closer.
 */
export interface VectorScanner {
  /** Which implementation answers: the TypeScript reference or WebAssembly SIMD. */
  readonly backend: 'ts' | 'wasm';
  readonly metric: Metric;
  /** Number of rows. */
  readonly n: number;
  readonly dim: number;
  /** `out[i]` = distance from `query` to row i, for every row. `out.length` must be >= n. */
  distancesToAll(query: Float32Array, out: Float32Array): void;
  /** `out[j]` = distance from `query` to row `rowIds[j]`. `out.length` must be >= rowIds.length. */
  distancesToRows(query: Float32Array, rowIds: Uint32Array, out: Float32Array): void;
}
