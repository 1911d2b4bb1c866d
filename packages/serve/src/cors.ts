import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cross-origin access for browser clients of `squash serve` (the stack configures the same on API
 * Gateway). Off unless origins are given: a page on another origin then may call the API, and
 * its preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered before the API-key
 * check, because browsers send preflights without credentials or custom headers.
 */
export interface CorsOptions {
  /** Allowed origins (`https://app.example.com`), or `['*']` for any. */
  readonly origins: readonly string[];
  /** How long a browser may cache a preflight answer. @default 600 */
  readonly maxAgeS?: number;
}

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
/** What a client of the API sends: JSON, the API key, and SigV4's headers. */
const ALLOWED_HEADERS = 'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token';
const EXPOSED_HEADERS = 'x-request-id, retry-after';

/**
 * Sets the CORS response headers for `request` (when its Origin is allowed) and answers a
 * preflight itself. Returns true when the response was sent.
 */
export function applyCors(
  cors: CorsOptions | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  const origin = request.headers.origin;
  if (cors === undefined || origin === undefined) return false;
  const any = cors.origins.includes('*');
  if (!any && !cors.origins.includes(origin)) return false;
  response.setHeader('access-control-allow-origin', any ? '*' : origin);
  if (!any) response.setHeader('vary', 'origin');
  response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  const preflight =
    request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  request.resume();
  response.writeHead(204, {
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': String(cors.maxAgeS ?? 600),
  });
  response.end();
  return true;
}
