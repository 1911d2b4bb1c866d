import { DEFAULT_ROUTE_KEY, gatewayRouteKeys, type HttpMethod } from '@squash/contracts';

/**
 * The API Gateway routes of the squash HTTP API, derived from the contracts' route table
 * (`API_ROUTES`, one route per distinct `method gatewayPath`): the CDK construct creates one route
 * per entry plus the `$default` catch-all. Pure data, no handler code.
 *
 * `POST /v1/indexes/{index}/query:batch` is carried by `POST /v1/indexes/{index}/{operation}` (see
 * `ApiRoute.gatewayPath`), so no route key holds a colon: API Gateway's acceptance of a colon in
 * a route key could not be verified without an AWS account, and a path variable is accepted
 * either way. `infra/test/http-api.test.ts` checks every synthesised route key against the
 * route-key grammar API Gateway documents.
 */
export interface GatewayRouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path with `{name}` variables. */
  readonly path: string;
}

export const GATEWAY_ROUTES: readonly GatewayRouteSpec[] = gatewayRouteKeys().map((key) => {
  const [method, path] = key.split(' ') as [HttpMethod, string];
  return { method, path };
});

export { DEFAULT_ROUTE_KEY };
