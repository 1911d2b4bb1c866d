import { chooseBackend, KERNEL_BACKENDS, type KernelBackend } from '../wasm/choose-backend.ts';
import { wasmUnavailableReason } from '../wasm/kernels-module.ts';

/**
 * Which distance kernels k-means uses, as for `createScanner`:
 * - `auto`: WebAssembly SIMD when the runtime supports it, else TypeScript.
 * - `ts`: the blocked TypeScript kernels (float64 accumulation).
 * - `wasm`: WebAssembly SIMD (float32 accumulation, about 4-5x faster here); throws
 *   `SquashError('WASM_UNAVAILABLE')` when unavailable.
 *
 * The two round differently, so a seed reproduces the same partitions on the same backend; across
 * backends the partitions agree in quality, not necessarily row for row.
 */
export type KMeansBackend = KernelBackend;

export const KMEANS_BACKENDS: readonly KMeansBackend[] = KERNEL_BACKENDS;

/** Resolves `auto` and checks that `wasm` can run. */
export function resolveBackend(backend: KMeansBackend): 'ts' | 'wasm' {
  return chooseBackend(backend, wasmUnavailableReason);
}
