import { MAX_REQUEST_PAYLOAD_BYTES } from './lambda-limits.ts';

/**
 * The one translation between HTTP and the API Gateway HTTP API Lambda integration (payload
 * format 2.0), shared by every local stand-in for API Gateway (`squash serve`'s front, the
 * LocalStack bridge): the event API Gateway would send for a request, its size as Lambda sees it,
 * and the HTTP response API Gateway would make of the function's result.
 */

/** The payload-2.0 event, with the fields API Gateway fills. */
export interface ApiGatewayV2Event {
  readonly version: '2.0';
  readonly routeKey: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly domainName: string;
    readonly http: {
      readonly method: string;
      readonly path: string;
      readonly protocol: string;
      readonly sourceIp: string;
      readonly userAgent: string;
    };
    readonly requestId: string;
    readonly routeKey: string;
    readonly stage: '$default';
    readonly time: string;
    readonly timeEpoch: number;
  };
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

/** An HTTP request as a stand-in for API Gateway received it. */
export interface HttpRequestParts {
  readonly method: string;
  /** The path exactly as sent, percent-encoding and all. */
  readonly rawPath: string;
  /** After the `?`, without it. */
  readonly rawQueryString: string;
  /** Lower-case names; repeated headers joined with commas, as API Gateway does. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly sourceIp: string;
  readonly requestId: string;
  /** @default new Date() */
  readonly now?: Date;
  /** The matched route. @default the catch-all `$default` route, no path parameters */
  readonly route?: { readonly routeKey: string; readonly pathParameters: Readonly<Record<string, string>> };
  /** @default 'local' */
  readonly apiId?: string;
}

/** Builds the payload-2.0 event API Gateway would send for this request. */
export function toApiGatewayEvent(request: HttpRequestParts): ApiGatewayV2Event {
  const now = request.now ?? new Date();
  const route = request.route ?? { routeKey: '$default', pathParameters: {} };
  const query = new URLSearchParams(request.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  const text = isTextual(request.headers['content-type']);
  const hasBody = body.byteLength > 0;
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: { ...route.pathParameters } } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: request.apiId ?? 'local',
      domainName: request.headers.host ?? '127.0.0.1',
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(hasBody ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
}

/** An event serialised for Invoke, or how far over Lambda's request limit it came out. */
export type SerializedEvent =
  | { readonly ok: true; readonly payload: string; readonly bytes: number }
  | { readonly ok: false; readonly bytes: number; readonly maxBytes: number };

/**
 * Serialises the event and measures it as Lambda does: the limit applies to the JSON text, so a
 * body well under 6 MiB can fail once wrapped (every control byte becomes a six-byte `\u0001`,
 * every `"` two bytes, a binary body grows by a third as base64). A stand-in for API Gateway
 * answers 413 itself when this is not ok, rather than let Invoke refuse it.
 */
export function serializeEvent(
  event: ApiGatewayV2Event,
  maxBytes: number = MAX_REQUEST_PAYLOAD_BYTES,
): SerializedEvent {
  const payload = JSON.stringify(event);
  const bytes = Buffer.byteLength(payload);
  return bytes <= maxBytes ? { ok: true, payload, bytes } : { ok: false, bytes, maxBytes };
}

/** An HTTP response as API Gateway makes it from a function result. */
export interface HttpResponseParts {
  readonly statusCode: number;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Maps a function result to HTTP as API Gateway does for payload 2.0: a result with
 * `statusCode` is a full response (`body` decoded from base64 when `isBase64Encoded`); any other
 * JSON value is a 200 `application/json` body. Returns `undefined` for a function error or a
 * payload that is not JSON: API Gateway answers those 500 `{"message":"Internal Server Error"}`,
 * and a stand-in may prefer its own error body.
 */
export function fromFunctionResult(payload: string, functionError: boolean): HttpResponseParts | undefined {
  if (functionError) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (value !== null && typeof value === 'object' && 'statusCode' in value) {
    const result = value as {
      statusCode: unknown;
      headers?: Record<string, unknown>;
      body?: unknown;
      isBase64Encoded?: boolean;
    };
    if (typeof result.statusCode !== 'number') return undefined;
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(result.headers ?? {}))
      headers[name.toLowerCase()] = String(header);
    const body =
      typeof result.body === 'string'
        ? Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8')
        : Buffer.alloc(0);
    return { statusCode: result.statusCode, headers, body };
  }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(payload) };
}

/** Lower-case names, repeated headers joined with commas (what payload 2.0 carries). */
export function flattenHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return flat;
}

/** Whether API Gateway passes a body of this content type as text rather than base64. */
function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return /^(text\/|application\/(json|[\w.+-]*\+json|xml|x-www-form-urlencoded|javascript))/i.test(
    contentType,
  );
}
