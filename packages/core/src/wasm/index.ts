export type { CreateScannerOptions, ScannerBackend } from '../distance/create-scanner.ts';
export { createScanner } from '../distance/create-scanner.ts';
export { decodeBase64 } from './decode-base64.ts';
export { wasmAvailable, wasmUnavailableReason } from './kernels-module.ts';
export { WasmVectorScanner } from './wasm-scanner.ts';
