import { MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';
import type { CoordinatorService } from './coordinator-service.ts';
import type { ApiGatewayV2Event, ApiGatewayV2Result } from './http-api-gateway.ts';
import { errorResult, jsonResult } from './http-errors.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { RequestError } from './request-error.ts';

export interface RouterLog {
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

type Handler = (
  service: CoordinatorService,
  params: string[],
  event: ApiGatewayV2Event,
  requestId: string,
) => Promise<unknown> | unknown;

interface Route {
  readonly pattern: RegExp;
  readonly methods: Record<string, Handler>;
}

const NAME = '([A-Za-z0-9][A-Za-z0-9._-]{0,127})';

const ROUTES: Route[] = [
  { pattern: /^\/health$/, methods: { GET: () => ({ status: 'ok' }) } },
  { pattern: /^\/openapi\.json$/, methods: { GET: () => OPENAPI_DOCUMENT } },
  { pattern: /^\/v1\/indexes$/, methods: { GET: (s) => ({ indexes: s.listIndexes() }) } },
  { pattern: new RegExp(`^/v1/indexes/${NAME}$`), methods: { GET: (s, [name]) => s.describe(name!) } },
  {
    pattern: new RegExp(`^/v1/indexes/${NAME}/query$`),
    methods: { POST: (s, [name], event, id) => s.query(name!, parseJsonBody(event), id) },
  },
  {
    pattern: new RegExp(`^/v1/indexes/${NAME}/query:batch$`),
    methods: { POST: (s, [name], event, id) => s.batch(name!, parseJsonBody(event), id) },
  },
];

/**
 * Turns an API Gateway v2 event into a call on the coordinator service and the result into an
 * HTTP response. Never throws: every failure becomes a JSON error body (see `errorResult`).
 */
export async function routeHttp(
  service: CoordinatorService,
  event: ApiGatewayV2Event,
  requestId: string,
  log: RouterLog,
): Promise<ApiGatewayV2Result> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = decodeURIComponent(event.rawPath);
  const started = Date.now();
  let result: ApiGatewayV2Result;
  try {
    result = jsonResult(200, await dispatch(service, method, path, event, requestId));
  } catch (error) {
    const mapped = errorResult(error, requestId);
    if (mapped.unexpected)
      log.error('request failed', { requestId, method, path, error: describeError(error) });
    result = mapped.result;
  }
  log.info('request', {
    requestId,
    method,
    path,
    status: result.statusCode,
    latencyMs: Date.now() - started,
  });
  return { ...result, headers: { ...result.headers, 'x-request-id': requestId } };
}

async function dispatch(
  service: CoordinatorService,
  method: string,
  path: string,
  event: ApiGatewayV2Event,
  requestId: string,
): Promise<unknown> {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    const handler = route.methods[method];
    if (handler === undefined) {
      throw new RequestError(
        'METHOD_NOT_ALLOWED',
        `${method} is not allowed on ${path}; allowed: ${Object.keys(route.methods).join(', ')}`,
      );
    }
    return handler(service, match.slice(1), event, requestId);
  }
  throw new RequestError('ROUTE_NOT_FOUND', `no route ${method} ${path}; see GET /openapi.json`);
}

function parseJsonBody(event: ApiGatewayV2Event): unknown {
  const type = headerOf(event, 'content-type');
  if (type === undefined || !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new RequestError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-type is ${type === undefined ? 'missing' : JSON.stringify(type)}; allowed: application/json`,
    );
  }
  const raw = event.body ?? '';
  const text = event.isBase64Encoded === true ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_SYNC_PAYLOAD_BYTES) {
    throw new RequestError(
      'PAYLOAD_TOO_LARGE',
      `body has ${Buffer.byteLength(text)} bytes; allowed: at most ${MAX_SYNC_PAYLOAD_BYTES}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestError('INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`);
  }
}

function headerOf(event: ApiGatewayV2Event, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === name) return value;
  return undefined;
}

function describeError(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { value: String(error) };
}
