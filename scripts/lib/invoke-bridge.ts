import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';
import {
  API_ROUTES,
  type ApiRoute,
  DEFAULT_ROUTE_KEY,
  matchRoute,
  type RouteMatch,
} from '../../infra/lib/api-routes.ts';

/**
 * A stand-in for API Gateway on 127.0.0.1: turns HTTP requests into API Gateway HTTP API events
 * (payload format 2.0), hands them to `invoke` (Lambda Invoke of the deployed coordinator) and maps
 * the result back the way API Gateway does. The LocalStack suite uses it where LocalStack has no
 * API Gateway v2 (the free edition), so the deployed coordinator is still tested over HTTP. It
 * matches the same route table as the CDK stack (`API_ROUTES`, then the `$default` route); it
 * does not authorise. An event larger than Lambda's synchronous payload limit is answered with
 * 413 `{"message":"Request Entity Too Large"}` without invoking: the function cannot receive it
 * (what API Gateway itself answers in that case could not be checked without an AWS account).
 */

/** What a Lambda Invoke returned. */
export interface InvokeResult {
  /** The function's response payload (JSON). */
  readonly payload?: Uint8Array;
  /** Set when the function threw or timed out (Lambda's `FunctionError`). */
  readonly functionError?: string;
}

export type Invoke = (event: ApiGatewayEvent) => Promise<InvokeResult>;

export interface InvokeBridgeOptions {
  readonly invoke: Invoke;
  /** @default API_ROUTES */
  readonly routes?: readonly ApiRoute[];
  /** Largest request body accepted; API Gateway's limit. @default 10 MiB */
  readonly maxBodyBytes?: number;
}

export interface InvokeBridge {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** The subset of the payload-2.0 event the squash coordinator reads, filled as API Gateway does. */
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

/** An HTTP response as API Gateway would send it. */
export interface BridgeResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Starts the bridge on a free 127.0.0.1 port. */
export async function startInvokeBridge(options: InvokeBridgeOptions): Promise<InvokeBridge> {
  const routes = options.routes ?? API_ROUTES;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const server = createServer((req, res) => {
    handle(req, res, routes, maxBodyBytes, options.invoke).catch((error: unknown) => {
      send(res, jsonResponse(500, { message: 'Internal Server Error' }));
      console.error(`invoke bridge: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly ApiRoute[],
  maxBodyBytes: number,
  invoke: Invoke,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://bridge');
  const method = req.method ?? 'GET';
  const match = matchRoute(method, url.pathname, routes);
  const body = await readBody(req, maxBodyBytes);
  if (body === undefined) return send(res, jsonResponse(413, { message: 'Request Entity Too Large' }));
  const event = toApiGatewayEvent({
    method,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: flattenHeaders(req.headers),
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    match: match ?? { routeKey: DEFAULT_ROUTE_KEY, pathParameters: {} },
    now: new Date(),
    requestId: randomUUID(),
  });
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_SYNC_PAYLOAD_BYTES) {
    return send(res, jsonResponse(413, { message: 'Request Entity Too Large' }));
  }
  send(res, toBridgeResponse(await invoke(event)));
}

/** Builds the payload-2.0 event API Gateway would send for this request. */
export function toApiGatewayEvent(request: {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly match: RouteMatch;
  readonly now: Date;
  readonly requestId: string;
}): ApiGatewayEvent {
  const query = new URLSearchParams(request.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const text = isTextual(request.headers['content-type']);
  const hasBody = request.body.byteLength > 0;
  return {
    version: '2.0',
    routeKey: request.match.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(Object.keys(request.match.pathParameters).length > 0
      ? { pathParameters: { ...request.match.pathParameters } }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'invoke-bridge',
      domainName: request.headers.host ?? '127.0.0.1',
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: request.match.routeKey,
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
 * function error is a 500 `{"message":"Internal Server Error"}`.
 */
export function toBridgeResponse(result: InvokeResult): BridgeResponse {
  if (result.functionError !== undefined || result.payload === undefined) {
    return jsonResponse(500, { message: 'Internal Server Error' });
  }
  const text = Buffer.from(result.payload).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return jsonResponse(500, { message: 'Internal Server Error' });
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

function jsonResponse(statusCode: number, value: unknown): BridgeResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value)),
  };
}

function send(res: ServerResponse, response: BridgeResponse): void {
  res.writeHead(response.statusCode, { ...response.headers, 'content-length': response.body.byteLength });
  res.end(response.body);
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return flat;
}

function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return /^(text\/|application\/(json|[\w.+-]*\+json|xml|x-www-form-urlencoded|javascript))/i.test(
    contentType,
  );
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
