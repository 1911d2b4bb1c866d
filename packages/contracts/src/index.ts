export type { Static, TSchema } from '@sinclair/typebox';
export type {
  CompactionPartitionTask,
  CompactionReportWire,
  CompactorRequest,
  CompactPartitionRequest,
  CompactPartitionResponse,
  CompactRequest,
} from './compaction-payloads.ts';
export { COMPACTOR_HANDLER_ENTRY } from './compaction-payloads.ts';
export type { EnvName } from './env.ts';
export { ENV, FUNCTION_NAMES, HANDLER_ENTRIES, MAX_SYNC_PAYLOAD_BYTES } from './env.ts';
export type { ApiErrorCode } from './errors.ts';
export { API_ERROR_CODES, HTTP_STATUS_BY_CODE, httpStatusOf, isApiErrorCode } from './errors.ts';
export type {
  BatchQueryRequest,
  BatchQueryResponse,
  CreateIndexRequest,
  CreateIndexResponse,
  DeleteIndexResponse,
  DeleteVectorsRequest,
  DeleteVectorsResponse,
  ErrorBody,
  FaultReason,
  FetchedRow,
  FetchRequest,
  FetchResponse,
  HealthResponse,
  IncludeValue,
  IndexHealth,
  IndexList,
  IndexSummary,
  PartitionFault,
  QueryMatch,
  QueryRequest,
  QueryResponse,
  QueryResult,
  QueryUsage,
  UpsertRequest,
  UpsertResponse,
  UpsertRow,
} from './http-api.ts';
export {
  DEFAULT_TOP_K,
  FAULT_REASONS,
  INCLUDE_VALUES,
  MAX_BATCH_QUERIES,
  MAX_TOP_K,
} from './http-api.ts';
export { COORDINATOR_SERVICE, METRIC_NAMES, METRICS_NAMESPACE } from './metrics.ts';
export type { OpenApiDocument } from './openapi.ts';
export { buildOpenApiDocument, errorsByStatus, openApiDocument } from './openapi.ts';
export type {
  FanoutRequest,
  ProcessorRequest,
  ProcessorUnit,
  TreeResponse,
  WireHit,
  WireQuery,
  WorkItem,
} from './payloads.ts';
export type { ApiRoute, HttpMethod, PathMatch, RouteId } from './routes.ts';
export {
  API_ROUTES,
  DEFAULT_ROUTE_KEY,
  gatewayRouteKeys,
  INDEX_NAME_PATTERN,
  INDEX_NAME_REGEX,
  matchPath,
} from './routes.ts';
export { bodyProblem, compiledCheck, matchesSchema } from './schemas/body-check.ts';
export {
  AttributeValueSchema,
  FaultReasonSchema,
  JsonObjectSchema,
  PartitionFaultSchema,
  QueryMatchSchema,
  QueryUsageSchema,
} from './schemas/common.ts';
export { ErrorBodySchema, errorBodySchema } from './schemas/error-body.ts';
export { HealthResponseSchema, IndexHealthSchema } from './schemas/health.ts';
export { IndexListSchema, IndexSummarySchema } from './schemas/indexes.ts';
export { OpenApiDocumentSchema } from './schemas/openapi-document.ts';
export { describeAllowed, describeValue } from './schemas/problem-message.ts';
export {
  BatchQueryRequestSchema,
  BatchQueryResponseSchema,
  QueryRequestSchema,
  QueryResponseSchema,
  QueryResultSchema,
} from './schemas/query.ts';
export type { AnswerSchemaOf, RouteSchema } from './schemas/route-schemas.ts';
export { ERRORS_OUTSIDE_ROUTES, ROUTE_SCHEMAS } from './schemas/route-schemas.ts';
export {
  CreateIndexRequestSchema,
  CreateIndexResponseSchema,
  DeleteIndexResponseSchema,
  DeleteVectorsRequestSchema,
  DeleteVectorsResponseSchema,
  FetchedRowSchema,
  FetchRequestSchema,
  FetchResponseSchema,
  MAX_CREATE_DIM,
  MAX_ID_BYTES,
  MAX_METADATA_BYTES,
  MAX_WRITE_ROWS,
  UpsertRequestSchema,
  UpsertResponseSchema,
  UpsertRowSchema,
} from './schemas/writes.ts';
export type {
  EnumSetting,
  IntegerSetting,
  JsonSetting,
  LogLevel,
  Setting,
  SettingName,
  TextSetting,
} from './settings.ts';
export { FUNCTION_SETTINGS, LOG_LEVELS } from './settings.ts';
