import { InvalidArgumentError, SquashError } from '../errors/index.ts';

/**
 * Which implementation of a kernel family to use, for every family (distance scans, k-means,
 * OSQ scans, the fast scan):
 * - `auto`: WebAssembly SIMD when it can run here, else the TypeScript reference;
 * - `ts`: always the TypeScript reference;
 * - `wasm`: always WebAssembly; `SquashError('WASM_UNAVAILABLE')` when it cannot run.
 */
export type KernelBackend = 'auto' | 'ts' | 'wasm';

export const KERNEL_BACKENDS: readonly KernelBackend[] = ['auto', 'ts', 'wasm'];

/**
 * Resolves a backend option: `unavailableReason` says why WebAssembly cannot run (undefined when
 * it can). Unknown values are rejected.
 *
 * @throws InvalidArgumentError when `backend` is not a `KernelBackend`.
 * @throws SquashError `WASM_UNAVAILABLE` when `wasm` is asked for and cannot run.
 */
export function chooseBackend(
  backend: KernelBackend | undefined,
  unavailableReason: () => string | undefined,
): 'ts' | 'wasm' {
  const chosen = backend ?? 'auto';
  if (!KERNEL_BACKENDS.includes(chosen)) {
    throw new InvalidArgumentError(
      'backend',
      `backend is ${JSON.stringify(chosen)}; allowed: ${KERNEL_BACKENDS.join(', ')}`,
    );
  }
  if (chosen === 'ts') return 'ts';
  const reason = unavailableReason();
  if (reason === undefined) return 'wasm';
  if (chosen === 'auto') return 'ts';
  throw new SquashError('WASM_UNAVAILABLE', `backend 'wasm' requested but ${reason}`);
}
