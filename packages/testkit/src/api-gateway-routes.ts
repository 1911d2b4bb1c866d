import { DEFAULT_ROUTE_KEY } from '@squash/contracts';

/**
 * API Gateway HTTP API routes as the bridge sees them: a route key (`"POST /v1/indexes/{index}/query"`
 * or `"$default"`) and the authorization type API Gateway enforces on it.
 */

/** `AuthorizationType` of an `AWS::ApiGatewayV2::Route`. */
export type GatewayAuthorization = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'JWT';

export interface GatewayRoute {
  /** `"METHOD /path"` with `{name}` variables, or `"$default"`. */
  readonly routeKey: string;
  readonly authorizationType: GatewayAuthorization;
}

export { DEFAULT_ROUTE_KEY };

const METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** A route key taken apart. */
export interface ParsedRouteKey {
  readonly method: (typeof METHODS)[number];
  /** Path segments after the leading slash; `{name}` marks a variable, `{name+}` a greedy one. */
  readonly segments: readonly string[];
}

/**
 * Parses a route key with the grammar API Gateway HTTP APIs accept: `$default`, or one of
 * `ANY GET POST PUT PATCH DELETE HEAD OPTIONS`, a space, and a path starting with `/` whose segments
 * are literals of unreserved URL characters (`A-Z a-z 0-9 - . _ ~`) or `{name}` variables, with a
 * greedy `{name+}` only as the last segment. Returns `undefined` for `$default`.
 *
 * The literal grammar is deliberately the conservative one: characters API Gateway documents as
 * reserved in paths (and the colon, whose acceptance in a route key could not be verified) are
 * refused, so a route key that passes here is one API Gateway accepts.
 *
 * @throws Error naming the route key and what is wrong with it.
 */
export function parseRouteKey(routeKey: string): ParsedRouteKey | undefined {
  if (routeKey === DEFAULT_ROUTE_KEY) return undefined;
  const match = /^([A-Z]+) (\/.*)$/.exec(routeKey);
  if (match === null) throw new Error(`route key "${routeKey}" is not "$default" or "METHOD /path"`);
  const method = match[1] as ParsedRouteKey['method'];
  if (!METHODS.includes(method)) {
    throw new Error(`route key "${routeKey}" has method ${method}; allowed: ${METHODS.join(', ')}`);
  }
  const path = match[2]!;
  const segments = path === '/' ? [] : path.slice(1).split('/');
  segments.forEach((segment, i) => {
    const variable = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
    if (variable !== null) {
      if (variable[2] === '+' && i !== segments.length - 1) {
        throw new Error(`route key "${routeKey}": a greedy variable ${segment} must be the last segment`);
      }
      return;
    }
    if (!/^[A-Za-z0-9._~-]+$/.test(segment)) {
      throw new Error(
        `route key "${routeKey}": segment "${segment}" must be a {variable} or unreserved characters (A-Z a-z 0-9 - . _ ~)`,
      );
    }
  });
  return { method, segments };
}

/** A request matched to a route, as API Gateway reports it in the event. */
export interface RouteMatch {
  readonly route: GatewayRoute;
  /** Decoded values of the path variables. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

/**
 * Picks the route API Gateway would: among the routes whose method (or `ANY`) and segments match,
 * the one with the most literal segments counted from the left; a variable matches one non-empty
 * segment, a greedy variable the rest of the path. Falls back to `$default` when present; returns
 * `undefined` when nothing matches (API Gateway then answers 404 `{"message":"Not Found"}`).
 */
export function matchGatewayRoute(
  routes: readonly GatewayRoute[],
  method: string,
  rawPath: string,
): RouteMatch | undefined {
  const segments = rawPath.split('/').slice(1);
  let best: { route: GatewayRoute; params: Record<string, string>; rank: string } | undefined;
  for (const route of routes) {
    const parsed = parseRouteKey(route.routeKey);
    if (parsed === undefined) continue;
    if (parsed.method !== 'ANY' && parsed.method !== method.toUpperCase()) continue;
    const matched = matchSegments(parsed.segments, segments);
    if (matched !== undefined && (best === undefined || matched.rank > best.rank)) {
      best = { route, ...matched };
    }
  }
  if (best !== undefined) return { route: best.route, pathParameters: best.params };
  const fallback = routes.find((r) => r.routeKey === DEFAULT_ROUTE_KEY);
  return fallback === undefined ? undefined : { route: fallback, pathParameters: {} };
}

function matchSegments(
  pattern: readonly string[],
  segments: readonly string[],
): { params: Record<string, string>; rank: string } | undefined {
  const params: Record<string, string> = {};
  let rank = '';
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    const variable = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(part);
    if (variable?.[2] === '+') {
      const rest = segments.slice(i).join('/');
      if (rest === '') return undefined;
      params[variable[1]!] = safeDecode(rest);
      return { params, rank };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (variable === null) {
      if (part !== segment) return undefined;
      rank += '1';
    } else {
      if (segment === '') return undefined;
      params[variable[1]!] = safeDecode(segment);
      rank += '0';
    }
  }
  return pattern.length === segments.length ? { params, rank } : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
