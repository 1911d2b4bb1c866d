/**
 * The routes of the squash HTTP API as API Gateway sees them. Pure data: the CDK construct
 * creates one route per entry, and the LocalStack bridge (`scripts/lib/invoke-bridge.ts`) matches
 * requests against the same table, so both hand the coordinator the same `routeKey`.
 *
 * `POST /v1/indexes/{index}/query:batch` is served by the route
 * `POST /v1/indexes/{index}/{operation}`: a single-segment path variable that the colon request
 * path matches, so no route key contains a colon (whether API Gateway accepts a colon in a route
 * key could not be verified without an AWS account; a path variable is accepted either way). A
 * literal segment wins over a variable, so `.../query` still reaches its own route. The
 * coordinator therefore routes on `rawPath`, not on `routeKey`, and answers any other operation
 * with 404 `ROUTE_NOT_FOUND`.
 */
export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** API Gateway path with `{name}` variables. */
  readonly path: string;
  /** The public operation(s) the route carries, for docs and tests. */
  readonly serves: string;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/v1/indexes/{index}/query', serves: 'POST /v1/indexes/{index}/query' },
  {
    method: 'POST',
    path: '/v1/indexes/{index}/{operation}',
    serves: 'POST /v1/indexes/{index}/query:batch',
  },
  { method: 'GET', path: '/v1/indexes', serves: 'GET /v1/indexes' },
  { method: 'GET', path: '/v1/indexes/{index}', serves: 'GET /v1/indexes/{index}' },
  { method: 'GET', path: '/health', serves: 'GET /health' },
  { method: 'GET', path: '/openapi.json', serves: 'GET /openapi.json' },
];

/**
 * Route key of the catch-all route: API Gateway sends it every request no route in `API_ROUTES`
 * matches, so the coordinator can answer unknown paths (404) and wrong methods (405) itself.
 */
export const DEFAULT_ROUTE_KEY = '$default';

/** A request matched to a route, as API Gateway would report it. */
export interface RouteMatch {
  /** `"POST /v1/indexes/{index}/query"`: the event's `routeKey`. */
  readonly routeKey: string;
  /** Decoded values of the path variables. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

/**
 * Matches a request the way API Gateway does for these routes: segment by segment, a variable
 * matches one non-empty segment, and among matching routes the one with more literal segments
 * (counted from the left) wins. Returns `undefined` when no route matches; the stack's `$default`
 * route (`DEFAULT_ROUTE_KEY`) then takes the request.
 */
export function matchRoute(method: string, rawPath: string, routes = API_ROUTES): RouteMatch | undefined {
  const segments = rawPath.split('/').slice(1);
  let best: { route: ApiRoute; params: Record<string, string>; rank: string } | undefined;
  for (const route of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const pattern = route.path.split('/').slice(1);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let rank = '';
    const matches = pattern.every((part, i) => {
      const segment = segments[i]!;
      const variable = /^\{([A-Za-z0-9_]+)\}$/.exec(part)?.[1];
      if (variable === undefined) {
        rank += '1';
        return part === segment;
      }
      rank += '0';
      if (segment === '') return false;
      params[variable] = safeDecode(segment);
      return true;
    });
    if (matches && (best === undefined || rank > best.rank)) best = { route, params, rank };
  }
  return best === undefined
    ? undefined
    : { routeKey: `${best.route.method} ${best.route.path}`, pathParameters: best.params };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
