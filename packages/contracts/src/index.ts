export type { EnvName } from './env.ts';
export { ENV, FUNCTION_NAMES, HANDLER_ENTRIES, MAX_SYNC_PAYLOAD_BYTES } from './env.ts';
export { HTTP_STATUS_BY_CODE, httpStatusOf } from './errors.ts';
export type {
  BatchQueryRequest,
  BatchQueryResponse,
  ErrorBody,
  IndexSummary,
  QueryMatch,
  QueryRequest,
  QueryResponse,
  QueryUsage,
} from './http-api.ts';
export { MAX_BATCH_QUERIES, MAX_TOP_K } from './http-api.ts';
export type {
  FanoutRequest,
  ProcessorRequest,
  ProcessorUnit,
  TreeResponse,
  WireHit,
  WireQuery,
  WorkItem,
} from './payloads.ts';
export type { ApiRoute, GatewayRouteMatch, HttpMethod, PathMatch, RouteId } from './routes.ts';
export {
  API_ROUTES,
  DEFAULT_ROUTE_KEY,
  gatewayRouteKeys,
  INDEX_NAME_PATTERN,
  INDEX_NAME_REGEX,
  matchGatewayRoute,
  matchPath,
} from './routes.ts';
