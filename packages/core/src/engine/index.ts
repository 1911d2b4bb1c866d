export type { BuildIndexOptions } from './build-index.ts';
export { buildIndex, defaultBuildParameters, gatherRows, groupRows } from './build-index.ts';
export type { CodeSelection } from './code-ranking.ts';
export { CodeRanker } from './code-ranking.ts';
export { ExactIndex } from './exact-index.ts';
export type { PartitionData } from './partition-data.ts';
export type {
  PartitionQuery,
  PartitionSearchResult,
  PartitionSearchStats,
} from './partition-search.ts';
export { PartitionSearcher } from './partition-search.ts';
export type { PlanInput, PlanProgress, RoutingIndex } from './query-plan.ts';
export { planQuery, QueryPlan } from './query-plan.ts';
export type { RoutePlan } from './route.ts';
export { partitionLowerBounds, planRoute } from './route.ts';
export type { RoutingFilter } from './routing-filter.ts';
export { localPositions, routeFilter } from './routing-filter.ts';
export type { SearchParameters, SearchPreset } from './search-parameters.ts';
export { DEFAULT_SEARCH_PARAMETERS, resolveSearchParameters, SEARCH_PRESETS } from './search-parameters.ts';
export { sliceColumns } from './slice-columns.ts';
export type {
  IndexSearchOptions,
  IndexSearchResult,
  IndexSearchStats,
  VectorIndexParts,
} from './vector-index.ts';
export { ENGINE_MAX_TOP_K, VectorIndex } from './vector-index.ts';
