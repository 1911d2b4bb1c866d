export type { CostSummary } from './bench-report.ts';
export { costFromServe, costTable, headlineTable, scaleTable, validateAgainstServe } from './bench-report.ts';
export type {
  AlwaysOnServerCost,
  AlwaysOnServerOptions,
  ServerlessCost,
  ServerlessCostInputs,
} from './cost-model.ts';
export {
  alwaysOnServerCost,
  breakEvenQueriesPerMonth,
  idleDollarsPerMonth,
  serverlessCost,
} from './cost-model.ts';
export type { SweepBuild, SweepRow } from './engine-sweep.ts';
export { HNSW_EFS, SQUASH_SETTINGS, sweepDataset, sweepTable } from './engine-sweep.ts';
export type { LatencySummaryMs } from './percentiles.ts';
export { percentile, summarizeLatencies } from './percentiles.ts';
export type { InstancePrice, PriceTable } from './price-table.ts';
export {
  AWS_US_EAST_1_PRICES,
  HOURS_PER_MONTH,
  SQUASH_PAPER_DOLLARS_PER_QUERY_SIFT1M,
} from './price-table.ts';
export type {
  LatencyModelInputs,
  MeasuredCalibration,
  PlatformAssumptions,
  ScaleProjection,
  ScaleScenario,
} from './scale-model.ts';
export { DEFAULT_PLATFORM, latencyQuantileMs, projectScale } from './scale-model.ts';
export type { ServeBenchOptions, ServeBenchResult } from './serve-bench.ts';
export { runServeBench, serveBenchTable } from './serve-bench.ts';
export type { ReadYourWritesInputs, WriteCost, WriteCostInputs } from './write-cost-model.ts';
export { readYourWritesDollarsPerMillionQueries, writeCost } from './write-cost-model.ts';
