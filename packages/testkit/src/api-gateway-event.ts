import type { RouteMatch } from './api-gateway-routes.ts';

/** What a Lambda Invoke of the integration returned. */
export interface InvokeResult {
  /** The function's response payload (JSON). */
  readonly payload?: Uint8Array;
  /** Set when the function threw or timed out (Lambda's `FunctionError`). */
  readonly functionError?: string;
}

/** The payload-2.0 event API Gateway sends an HTTP API's Lambda integration (the fields squash reads). */
export interface ApiGatewayEvent {
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

/** An HTTP response as API Gateway sends it. */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** One HTTP request, already read. */
export interface GatewayRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly match: RouteMatch;
  readonly now: Date;
  readonly requestId: string;
}

/**
 * Builds the payload-2.0 event API Gateway would send for this request: repeated query parameters
 * joined by commas, path parameters of the matched route, a text body as UTF-8 and any other body
 * base64-encoded.
 */
export function toApiGatewayEvent(request: GatewayRequest): ApiGatewayEvent {
  const query = new URLSearchParams(request.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const text = isTextual(request.headers['content-type']);
  const hasBody = request.body.byteLength > 0;
  const routeKey = request.match.route.routeKey;
  return {
    version: '2.0',
    routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(Object.keys(request.match.pathParameters).length > 0
      ? { pathParameters: { ...request.match.pathParameters } }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'api-gateway-bridge',
      domainName: request.headers.host ?? '127.0.0.1',
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey,
      stage: '$default',
      time: request.now.toISOString(),
      timeEpoch: request.now.getTime(),
    },
    ...(hasBody ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
}

/**
 * Maps an invocation result to HTTP the way API Gateway does for payload 2.0: a result with
 * `statusCode` is a full response; any other JSON value is a 200 `application/json` body; a
 * function error or a payload that is not JSON is a 500 `{"message":"Internal Server Error"}`.
 */
export function toGatewayResponse(result: InvokeResult): GatewayResponse {
  if (result.functionError !== undefined || result.payload === undefined) {
    return gatewayMessage(500, 'Internal Server Error');
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(result.payload).toString('utf8'));
  } catch {
    return gatewayMessage(500, 'Internal Server Error');
  }
  if (value !== null && typeof value === 'object' && 'statusCode' in value) {
    const r = value as {
      statusCode: number;
      headers?: Record<string, unknown>;
      body?: unknown;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const body =
      typeof r.body === 'string'
        ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8')
        : Buffer.alloc(0);
    return { statusCode: r.statusCode, headers, body };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value)),
  };
}

/** API Gateway's own error shape: `{"message": "..."}`. */
export function gatewayMessage(statusCode: number, message: string): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ message })),
  };
}

function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return /^(text\/|application\/(json|[\w.+-]*\+json|xml|x-www-form-urlencoded|javascript))/i.test(
    contentType,
  );
}
