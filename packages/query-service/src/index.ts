export type { RowBytes } from './answer-size.ts';
export { answerBytesBound, assertAnswerFits, rowBytes, STRING_ID_BYTES } from './answer-size.ts';
export { decodeBitmap, encodeBitmap } from './bitmap-codec.ts';
export type { FunctionConfig } from './config.ts';
export { loadConfig } from './config.ts';
export type {
  CoordinatorConfig,
  CoordinatorOptions,
  QueryRecord,
  ServiceLog,
} from './coordinator-service.ts';
export { CoordinatorService } from './coordinator-service.ts';
export type { AttemptWindow, LambdaContextLike } from './deadline.ts';
export { attemptWindow, beforeDeadline, DEADLINE_PASSED, tightenDeadline } from './deadline.ts';
export type { FanoutOptions } from './fanout-service.ts';
export { handleFanout } from './fanout-service.ts';
export type { FaultCause } from './faults.ts';
export { faultsFor, invokeFailureCause, loadFailureCause } from './faults.ts';
export type { FetchedRow, FetchResponse, ValidFetch } from './fetch-rows.ts';
export { fetchRows, MAX_FETCH_IDS, validateFetch } from './fetch-rows.ts';
export { FormatIndexAccess } from './format-index-access.ts';
export type { ApiGatewayV2Event, ApiGatewayV2Result } from './http-api-gateway.ts';
export { errorResult, jsonResult } from './http-errors.ts';
export type { ApiServices, RouteOptions, RouterLog } from './http-router.ts';
export { routeHttp } from './http-router.ts';
export type { IndexAccess, LoadedPartition, PinnedManifest, RoutingData } from './index-access.ts';
export type { IndexDirectoryOptions, IndexEntry } from './index-directory.ts';
export { IndexDirectory } from './index-directory.ts';
export type { BaseVersion, IndexView, TailReads } from './index-states.ts';
export type { InvokeFailureKind, Invoker } from './invoker.ts';
export { InvokeError, LambdaInvoker } from './invoker.ts';
export { createLogger, routerLog } from './logger.ts';
export type { QueryChunk } from './payload-chunks.ts';
export { chunkQueries, PAYLOAD_BUDGET_BYTES, PAYLOAD_BUDGET_SHARE } from './payload-chunks.ts';
export type { ProcessorOptions } from './processor-service.ts';
export { cacheBytesFor, ProcessorService } from './processor-service.ts';
export { QueryProgress } from './query-progress.ts';
export type { QuerySubset } from './query-subset.ts';
export { queriesUsedBy, subsetQueries } from './query-subset.ts';
export { RequestError } from './request-error.ts';
export type { RetryOptions } from './retry.ts';
export { isRetryable, withRetry } from './retry.ts';
export { StoreRoots } from './store-roots.ts';
export type { TreeContext } from './tree-executor.ts';
export { runUnits } from './tree-executor.ts';
export { emptyResponse, mergeFaults, mergeHits, mergeResponses } from './tree-merge.ts';
export { groupByProcessor, indexHash, processorFor, splitAmongChildren, treeDepth } from './tree-plan.ts';
export type { UsageCounters } from './usage.ts';
export { Usage } from './usage.ts';
export type { ValidQuery } from './validate-query.ts';
export { validateBatch, validateQuery } from './validate-query.ts';
export type { WriteErrorCode } from './write-error.ts';
export { WriteError } from './write-error.ts';
export type { WriteServiceOptions } from './write-service.ts';
export { WriteService } from './write-service.ts';
export type { WriteTarget } from './write-validation.ts';
export {
  checkId,
  MAX_ID_BYTES,
  MAX_METADATA_BYTES,
  MAX_WRITE_ROWS,
  validateDelete,
  validateUpsert,
} from './write-validation.ts';
