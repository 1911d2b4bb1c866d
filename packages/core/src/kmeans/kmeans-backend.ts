import type { ScannerBackend } from '../distance/create-scanner.ts';
import { SquashError } from '../errors/index.ts';
import { wasmAvailable, wasmUnavailableReason } from '../wasm/kernels-module.ts';

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
export type KMeansBackend = ScannerBackend;

export const KMEANS_BACKENDS: readonly KMeansBackend[] = ['auto', 'ts', 'wasm'];

/** Resolves `auto` and checks that `wasm` can run. */
export function resolveBackend(backend: KMeansBackend): 'ts' | 'wasm' {
  if (backend === 'ts') return 'ts';
  if (wasmAvailable()) return 'wasm';
  if (backend === 'auto') return 'ts';
  throw new SquashError('WASM_UNAVAILABLE', `backend 'wasm' requested but ${wasmUnavailableReason()}`);
}
