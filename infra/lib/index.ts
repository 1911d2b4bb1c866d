export { API_KEY_AUTHORIZER_CODE, API_KEY_HEADER, API_KEY_SECRET_ENV } from './api-key-authorizer-code.ts';
export type { GatewayRouteSpec } from './api-routes.ts';
export { DEFAULT_ROUTE_KEY, GATEWAY_ROUTES } from './api-routes.ts';
export { esbuildBuildOptions, HANDLER_BUNDLE, nodejsBundlingOptions } from './handler-bundle.ts';
export type { IndexBucketProps } from './index-bucket.ts';
export { IndexBucket } from './index-bucket.ts';
export type { LocalIndexManifest } from './index-manifest.ts';
export { readLocalIndexManifest } from './index-manifest.ts';
export { InfraConfigError } from './infra-config-error.ts';
export { REPO_ROOT } from './project-paths.ts';
export type { RequestBudget } from './request-budget.ts';
export {
  COLD_START_ALLOWANCE_MS,
  defaultInvokeTimeoutMs,
  HTTP_API_INTEGRATION_LIMIT_MS,
  resolveRequestBudget,
} from './request-budget.ts';
export type { RouteAccess } from './route-access.ts';
export { executeApiPath, ROUTE_ACCESS, routesWith } from './route-access.ts';
export type { SquashCompactorProps } from './squash-compactor.ts';
export { COMPACTOR_ASYNC_INVOKE, SquashCompactor } from './squash-compactor.ts';
export type { SquashFunctionCode, SquashFunctionProps } from './squash-function.ts';
export { SquashFunction } from './squash-function.ts';
export type { SquashHttpApiProps } from './squash-http-api.ts';
export { SquashHttpApi } from './squash-http-api.ts';
export { SquashStack } from './squash-stack.ts';
export type { SquashStackProps } from './squash-stack-props.ts';
export type { ProcessorTarget } from './squash-vector-search.ts';
export { PROCESSOR_ALIAS, SquashVectorSearch } from './squash-vector-search.ts';
export type {
  SquashAuth,
  SquashBundling,
  SquashLogLevel,
  SquashThrottle,
  SquashVectorSearchProps,
} from './squash-vector-search-props.ts';
export type { StackConfig } from './stack-config.ts';
export { MAX_LAMBDA_TIMEOUT_SECONDS, resolveStackConfig, STACK_DEFAULTS } from './stack-config.ts';
