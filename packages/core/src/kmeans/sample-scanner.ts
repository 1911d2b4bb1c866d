import { createScanner } from '../distance/create-scanner.ts';
import { squaredL2Impl } from './squared-l2-kernels.ts';

/** Squared L2 from one query to every row of a fixed sample (k-means++ seeding). */
export interface SampleScanner {
  /** `out[i]` = squared L2 from `query` (dim values) to sample row i, for every row. */
  distancesToAll(query: Float32Array, out: Float32Array): void;
}

/**
 * A scanner over the `m` x `dim` sample: the WebAssembly SIMD `createScanner` (which copies the
 * sample into its memory once), or a loop over the 4-way unrolled TypeScript kernel.
 */
export function createSampleScanner(
  sample: Float32Array,
  m: number,
  dim: number,
  backend: 'ts' | 'wasm',
): SampleScanner {
  const rows = sample.subarray(0, m * dim);
  if (backend === 'wasm') return createScanner('l2', rows, dim, { backend: 'wasm' });
  return {
    distancesToAll(query: Float32Array, out: Float32Array): void {
      for (let i = 0; i < m; i++) out[i] = squaredL2Impl(rows, i * dim, query, 0, dim);
    },
  };
}
