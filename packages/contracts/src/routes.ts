/**
 * The one route table of the HTTP API. The coordinator's router, the CDK stack's API Gateway
 * routes, the local HTTP bridges and the OpenAPI document all derive from `API_ROUTES`, so a
 * route added here appears everywhere and a route missing from one host fails a test or the
 * type check (the router and the OpenAPI document are `Record<RouteId, ...>`).
 */

/**
 * Index names: 1..128 characters, a letter or digit first, then letters, digits, `.`, `_`, `-`.
 * Safe as an S3 key segment, a path segment and a CloudFormation-friendly identifier.
 */
export const INDEX_NAME_PATTERN = '[A-Za-z0-9][A-Za-z0-9._-]{0,127}';

/** Whole-string test of an index name (see `INDEX_NAME_PATTERN`). */
export const INDEX_NAME_REGEX = new RegExp(`^${INDEX_NAME_PATTERN}$`);

export type RouteId =
  | 'health'
  | 'openapi'
  | 'listIndexes'
  | 'describeIndex'
  | 'createIndex'
  | 'deleteIndex'
  | 'query'
  | 'queryBatch'
  | 'upsertVectors'
  | 'deleteVectors'
  | 'fetchVectors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRoute {
  readonly id: RouteId;
  readonly method: HttpMethod;
  /** Public path, with `{index}` standing for one index name (`INDEX_NAME_PATTERN`). */
  readonly path: string;
  /**
   * The API Gateway route path that carries this route. Equal to `path` except for
   * `query:batch`, carried by the single-segment variable route `/v1/indexes/{index}/{operation}`
   * so that no route key holds a colon; a literal segment wins over a variable in API Gateway, so
   * `.../query` still reaches its own route. The coordinator routes on `rawPath`, never on
   * `routeKey`, and answers any other `{operation}` with 404 `ROUTE_NOT_FOUND`.
   */
  readonly gatewayPath: string;
  /** Whether the route takes a JSON body. */
  readonly hasBody: boolean;
  /** One line for docs and the OpenAPI document. */
  readonly summary: string;
}

export const API_ROUTES: readonly ApiRoute[] = [
  {
    id: 'health',
    method: 'GET',
    path: '/health',
    gatewayPath: '/health',
    hasBody: false,
    summary: 'Liveness',
  },
  {
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    gatewayPath: '/openapi.json',
    hasBody: false,
    summary: 'This API as an OpenAPI 3.1 document',
  },
  {
    id: 'listIndexes',
    method: 'GET',
    path: '/v1/indexes',
    gatewayPath: '/v1/indexes',
    hasBody: false,
    summary: 'Names of the served indexes',
  },
  {
    id: 'describeIndex',
    method: 'GET',
    path: '/v1/indexes/{index}',
    gatewayPath: '/v1/indexes/{index}',
    hasBody: false,
    summary: 'Index description',
  },
  {
    id: 'createIndex',
    method: 'PUT',
    path: '/v1/indexes/{index}',
    gatewayPath: '/v1/indexes/{index}',
    hasBody: true,
    summary: 'Create an index (201), or confirm the same definition exists (200)',
  },
  {
    id: 'deleteIndex',
    method: 'DELETE',
    path: '/v1/indexes/{index}',
    gatewayPath: '/v1/indexes/{index}',
    hasBody: false,
    summary: 'Delete an index and all its data',
  },
  {
    id: 'query',
    method: 'POST',
    path: '/v1/indexes/{index}/query',
    gatewayPath: '/v1/indexes/{index}/query',
    hasBody: true,
    summary: 'k nearest neighbours of one vector, optionally filtered',
  },
  {
    id: 'queryBatch',
    method: 'POST',
    path: '/v1/indexes/{index}/query:batch',
    gatewayPath: '/v1/indexes/{index}/{operation}',
    hasBody: true,
    summary: 'Up to 1000 queries in one fan-out',
  },
  {
    id: 'upsertVectors',
    method: 'POST',
    path: '/v1/indexes/{index}/vectors/upsert',
    gatewayPath: '/v1/indexes/{index}/vectors/upsert',
    hasBody: true,
    summary: 'Insert or replace up to 1000 rows; visible to every query that starts after the answer',
  },
  {
    id: 'deleteVectors',
    method: 'POST',
    path: '/v1/indexes/{index}/vectors/delete',
    gatewayPath: '/v1/indexes/{index}/vectors/delete',
    hasBody: true,
    summary: 'Delete up to 1000 rows by id',
  },
  {
    id: 'fetchVectors',
    method: 'POST',
    path: '/v1/indexes/{index}/vectors/fetch',
    gatewayPath: '/v1/indexes/{index}/vectors/fetch',
    hasBody: true,
    summary: 'Read up to 1000 rows by id',
  },
];

/** A request path matched to a public route. */
export interface PathMatch {
  /** Routes with this path (one per method). */
  readonly routes: readonly ApiRoute[];
  /** Values of the path's variables (`index`), as they appear in the raw path. */
  readonly params: Readonly<Record<string, string>>;
}

const compiled = API_ROUTES.map((route) => ({ route, ...compilePath(route.path) }));

/**
 * Matches a raw (still percent-encoded) request path against the public paths. Variables match
 * one segment of `INDEX_NAME_PATTERN` characters, so an encoded `/` (`%2F`) or any other escape
 * never matches a variable: no name needs decoding, and `a%2Fquery` is not `a/query`.
 * Returns undefined when no path matches.
 */
export function matchPath(rawPath: string): PathMatch | undefined {
  for (const entry of compiled) {
    const match = entry.regex.exec(rawPath);
    if (match === null) continue;
    const params: Record<string, string> = {};
    entry.names.forEach((name, i) => {
      params[name] = match[i + 1]!;
    });
    return { routes: compiled.filter((c) => c.route.path === entry.route.path).map((c) => c.route), params };
  }
  return undefined;
}

function compilePath(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) =>
      segment.replace(/\{([A-Za-z]+)\}|[^{}]+/g, (part, name: string | undefined) => {
        if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(name);
        return `(${INDEX_NAME_PATTERN})`;
      }),
    )
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}

/**
 * Route key of the API Gateway catch-all route: it receives every request no route of
 * `API_ROUTES` matches, so the coordinator answers unknown paths (404) and wrong methods (405).
 */
export const DEFAULT_ROUTE_KEY = '$default';

/** The distinct API Gateway routes (`method gatewayPath`), in table order. */
export function gatewayRouteKeys(routes: readonly ApiRoute[] = API_ROUTES): string[] {
  return [...new Set(routes.map((r) => `${r.method} ${r.gatewayPath}`))];
}
