import { InvalidArgumentError, SquashError } from '../errors/index.ts';
import { chooseBackend, type KernelBackend } from '../wasm/choose-backend.ts';
import { wasmUnavailableReason } from '../wasm/kernels-module.ts';
import { WasmVectorScanner } from '../wasm/wasm-scanner.ts';
import { assertMetric, type Metric } from './metric.ts';
import { TsVectorScanner } from './ts-scanner.ts';
import type { VectorScanner } from './vector-scanner.ts';

/**
 * Which scanner implementation to use.
 * - `auto`: WebAssembly SIMD when the runtime supports it and the matrix fits in its 4 GiB
 *   memory, else the TypeScript reference. Same results either way (to float32 rounding).
 * - `ts`: always the TypeScript reference (views `base`, no copy; several times slower).
 * - `wasm`: always WebAssembly SIMD; throws `SquashError('WASM_UNAVAILABLE')` when it cannot.
 */
export type ScannerBackend = KernelBackend;

export interface CreateScannerOptions {
  /**
   * Scanner implementation. The WebAssembly scanner copies `base` into its own memory once
   * (n * dim * 4 bytes more memory) and then scans 10-16x faster on x86-64
   * (`npm run bench:kernels`).
   * @default 'auto'
   */
  readonly backend?: ScannerBackend;
}

/**
 * Builds a one-to-many distance scanner over the flat row-major matrix `base` (n x dim).
 * Inputs are validated here, once; the scanners' hot loops assume them valid.
 *
 * @throws InvalidArgumentError when `metric` is not a `Metric`, `dim` is not an integer >= 1,
 *   `base` is not a Float32Array whose length is a multiple of `dim`, or an option is unknown.
 * @throws SquashError `WASM_UNAVAILABLE` with `backend: 'wasm'` when WebAssembly SIMD is missing
 *   or the matrix does not fit.
 */
export function createScanner(
  metric: Metric,
  base: Float32Array,
  dim: number,
  options: CreateScannerOptions = {},
): VectorScanner {
  assertMetric(metric);
  assertScannerInput(base, dim);
  assertOptionKeys(options);
  const backend = chooseBackend(options.backend, wasmUnavailableReason);
  if (backend === 'ts') return new TsVectorScanner(metric, base, dim);
  try {
    return new WasmVectorScanner(metric, base, dim);
  } catch (error) {
    // Typically a matrix too large for 32-bit WebAssembly memory: the reference still works.
    const auto = (options.backend ?? 'auto') === 'auto';
    if (auto && error instanceof SquashError && error.code === 'WASM_UNAVAILABLE')
      return new TsVectorScanner(metric, base, dim);
    throw error;
  }
}

function assertScannerInput(base: Float32Array, dim: number): void {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new InvalidArgumentError('dim', `dim is ${dim}; allowed: an integer >= 1`);
  }
  if (!(base instanceof Float32Array)) {
    throw new InvalidArgumentError('base', `base is ${describe(base)}; allowed: a Float32Array`);
  }
  if (base.length % dim !== 0) {
    throw new InvalidArgumentError(
      'base',
      `base has ${base.length} values, not a multiple of dim ${dim}; allowed: n * dim values for n rows`,
    );
  }
}

function assertOptionKeys(options: CreateScannerOptions): void {
  for (const key of Object.keys(options)) {
    if (key !== 'backend') {
      throw new InvalidArgumentError(
        'options',
        `unknown scanner option ${JSON.stringify(key)}; allowed: backend`,
      );
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return typeof value;
}
