/**
 * Entry point of the squash WebAssembly kernels (compiled by `scripts/build-wasm.mjs` with
 * `--runtime stub`: no garbage collector, no allocator). The module exports its linear memory;
 * the TypeScript side decides where every matrix, query and output lives and passes byte offsets.
 *
 * One file per kernel family: add new families (for example uint8 codes for OSQ) as sibling
 * files and re-export them here.
 */
export { cosineAll, cosineRows, l2All, l2Rows, negDotAll, negDotRows } from './float32-scans';

/** First byte after the module's static data: the TypeScript side places its regions from here. */
export function heapBase(): usize {
  return __heap_base;
}
export { fastScanBlocks, rowTimesMatrix } from './fast-scan';
export { osqAdcSegmentMajor, osqScanOne, osqScanPair } from './osq-scan';
