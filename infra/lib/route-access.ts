import { API_ROUTES, type ApiRoute, type RouteId } from '@squash/contracts';

/**
 * What calling a route lets a caller do: the unit `SquashVectorSearch` grants by.
 * - `'query'`: reads the indexes (search, fetch, describe, list) or the service itself (health,
 *   OpenAPI);
 * - `'write'`: changes them (create and delete indexes, upsert and delete rows).
 */
export type RouteAccess = 'query' | 'write';

/**
 * The access of every route of the contracts' route table. A `Record` over `RouteId`, so a route
 * added to `API_ROUTES` does not type-check until it is classified here, and no grant silently
 * covers or misses it.
 */
export const ROUTE_ACCESS: Readonly<Record<RouteId, RouteAccess>> = {
  health: 'query',
  openapi: 'query',
  listIndexes: 'query',
  describeIndex: 'query',
  query: 'query',
  queryBatch: 'query',
  fetchVectors: 'query',
  createIndex: 'write',
  deleteIndex: 'write',
  upsertVectors: 'write',
  deleteVectors: 'write',
};

/** The routes of `API_ROUTES` with `access`. */
export function routesWith(access: RouteAccess): ApiRoute[] {
  return API_ROUTES.filter((route) => ROUTE_ACCESS[route.id] === access);
}

/**
 * The `METHOD/path` part of the `execute-api` ARN that IAM matches a request against: the public
 * path as requested (`query:batch` included, not the gateway route `{operation}` that carries it),
 * with each `{variable}` as `*`. Granting the public paths rather than the gateway routes keeps a
 * future operation carried by the same `{operation}` route out of a query grant.
 */
export function executeApiPath(route: ApiRoute): string {
  return `${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`;
}
