export * from './attributes/index.ts';
export * from './bitmap/index.ts';
export type { Metric } from './distance/metric.ts';
export { assertMetric, isMetric, METRICS } from './distance/metric.ts';
export { cosineFromDot, dotImpl, l2Impl, normImpl } from './distance/reference-kernels.ts';
export { TsVectorScanner } from './distance/ts-scanner.ts';
export type { VectorScanner } from './distance/vector-scanner.ts';
export * from './engine/index.ts';
export type { SquashErrorCode, SquashErrorOptions } from './errors/index.ts';
export {
  DimensionMismatchError,
  InvalidArgumentError,
  InvalidInputFileError,
  SquashError,
} from './errors/index.ts';
export * from './filter/index.ts';
export * from './kmeans/index.ts';
export * from './leanvec/index.ts';
export * from './linalg/index.ts';
export * from './osq/index.ts';
export { SeededRandom } from './random/seeded-random.ts';
export type { ExactSearchOptions, SearchHits } from './search/exact-search.ts';
export { exactSearch } from './search/exact-search.ts';
export type { RankedRow } from './search/merge-top-k.ts';
export { mergeTopK } from './search/merge-top-k.ts';
export { compare, TopK } from './search/top-k.ts';
export * from './wasm/index.ts';
