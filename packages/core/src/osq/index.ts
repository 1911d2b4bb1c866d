export type { AllocateBitsOptions } from './allocate-bits.ts';
export { allocateBits, ZERO_VARIANCE_RATIO } from './allocate-bits.ts';
export { popcount32 } from './binary-code.ts';
export { codeLayout, MAX_BITS_PER_DIM } from './code-layout.ts';
export { encodeOsq } from './encode-osq.ts';
export type { FastScanLayout } from './fast-scan-layout.ts';
export { FAST_SCAN_BLOCK_ROWS, fastScanLayoutOf, packFastScanCodes } from './fast-scan-layout.ts';
export type { FastScanTables } from './fast-scan-tables.ts';
export { prepareFastScanQuery } from './fast-scan-tables.ts';
export type { FastScanRequest, FastScanSelection } from './fast-scanner.ts';
export { FastScanner } from './fast-scanner.ts';
export { hammingScan } from './hamming-scan.ts';
export type { OsqCodeLayout, OsqCodes, OsqQuantizer } from './osq-quantizer.ts';
export type { CreateOsqScannerOptions, OsqScanner, OsqScannerBackend } from './osq-scanner.ts';
export { createOsqScanner } from './osq-scanner-factory.ts';
export { extractDimCodes, packCodes, unpackCodes } from './pack-codes.ts';
export type { OsqQueryTables } from './prepare-osq-query.ts';
export { prepareOsqQuery } from './prepare-osq-query.ts';
export { scanOsq } from './scan-osq.ts';
export type { OsqScanPlan } from './scan-plan.ts';
export type { TrainOsqOptions } from './train-osq.ts';
export {
  DEFAULT_BINARY_DIMS,
  DEFAULT_MAX_LLOYD_ITERATIONS,
  LLOYD_RELATIVE_TOLERANCE,
  trainOsq,
} from './train-osq.ts';
export { TsOsqScanner } from './ts-osq-scanner.ts';
export { fastScanWasmUnavailableReason } from './wasm-fast-scan-kernel.ts';
export { osqWasmUnavailableReason, WasmOsqScanner } from './wasm-osq-scanner.ts';
