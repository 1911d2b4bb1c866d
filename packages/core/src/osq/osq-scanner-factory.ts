import { InvalidArgumentError, SquashError } from '../errors/index.ts';
import { chooseBackend } from '../wasm/choose-backend.ts';
import type { OsqQuantizer } from './osq-quantizer.ts';
import type { CreateOsqScannerOptions, OsqScanner } from './osq-scanner.ts';
import { assertCodes } from './scan-osq.ts';
import { scanPlanOf } from './scan-plan.ts';
import { TsOsqScanner } from './ts-osq-scanner.ts';
import { osqWasmUnavailableReason, WasmOsqScanner } from './wasm-osq-scanner.ts';

/**
 * Binds the segment-major `codes` of n vectors (from `encodeOsq` with `quantizer`) to a scanner.
 *
 * @throws InvalidArgumentError when `codes` does not hold n vectors of the quantizer's layout or an
 *   option is unknown.
 * @throws SquashError `WASM_UNAVAILABLE` with `backend: 'wasm'` when the kernels are missing.
 */
export function createOsqScanner(
  quantizer: OsqQuantizer,
  codes: Uint8Array,
  n: number,
  options: CreateOsqScannerOptions = {},
): OsqScanner {
  for (const key of Object.keys(options)) {
    if (key !== 'backend') {
      throw new InvalidArgumentError('options', `unknown option ${JSON.stringify(key)}; allowed: backend`);
    }
  }
  const plan = scanPlanOf(quantizer.layout);
  const backend = chooseBackend(options.backend, osqWasmUnavailableReason);
  assertCodes(plan, codes, n);
  if (backend === 'ts') return new TsOsqScanner(plan, codes, n);
  try {
    return new WasmOsqScanner(plan, codes, n);
  } catch (error) {
    // Typically codes too large for 32-bit WebAssembly memory: the reference still works.
    const auto = (options.backend ?? 'auto') === 'auto';
    if (auto && error instanceof SquashError && error.code === 'WASM_UNAVAILABLE') {
      return new TsOsqScanner(plan, codes, n);
    }
    throw error;
  }
}
