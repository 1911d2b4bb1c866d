import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';
import {
  type ApiGatewayEvent,
  type GatewayResponse,
  gatewayMessage,
  type InvokeResult,
  toApiGatewayEvent,
  toGatewayResponse,
} from './api-gateway-event.ts';
import { type GatewayRoute, matchGatewayRoute, parseRouteKey } from './api-gateway-routes.ts';
import { type SigV4VerifyOptions, verifySigV4 } from './sigv4-verifier.ts';

/**
 * A stand-in for an API Gateway HTTP API on 127.0.0.1, for emulators that create the functions
 * but do not serve HTTP APIs (moto; LocalStack's free edition). It matches requests against the
 * routes it is given (read from the deployed template), enforces each route's authorization the
 * way API Gateway does (`AWS_IAM`: SigV4 checked before the function is called; `NONE`: open),
 * turns the request into a payload-2.0 event, hands it to `invoke` (Lambda Invoke of the deployed
 * integration) and maps the result back.
 *
 * Gateway-level answers use API Gateway's `{"message": ...}` bodies: 403 for a missing or bad
 * signature, 404 when no route (and no `$default`) matches, 413 when the event would exceed
 * Lambda's 6 MB synchronous payload (the function cannot receive it; AWS's exact answer there was
 * not verified), 500 when the function fails. Not emulated: IAM policy evaluation, throttling,
 * CORS, custom domains.
 */

export type Invoke = (event: ApiGatewayEvent) => Promise<InvokeResult>;

export interface ApiGatewayBridgeOptions {
  readonly invoke: Invoke;
  /** The API's routes, `$default` included when the API has one. Must not be empty. */
  readonly routes: readonly GatewayRoute[];
  /** Required when any route is `AWS_IAM`. */
  readonly sigv4?: SigV4VerifyOptions;
  /** Largest request body accepted; API Gateway's limit. @default 10 MiB */
  readonly maxBodyBytes?: number;
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * Invocations in flight at once; further requests wait their turn. API Gateway does not queue,
   * but behind it Lambda scales out to hundreds of instances, while a local runtime on two cores
   * would start one cold worker process per concurrent request. @default 8
   */
  readonly maxInFlight?: number;
}

export interface ApiGatewayBridge {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the bridge.
 *
 * @throws Error when `routes` is empty, a route key is one API Gateway would refuse, a route uses
 *   an authorizer the bridge cannot run (`CUSTOM`, `JWT`), or `AWS_IAM` routes come without `sigv4`.
 */
export async function startApiGatewayBridge(options: ApiGatewayBridgeOptions): Promise<ApiGatewayBridge> {
  checkRoutes(options);
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const admit = admission(options.maxInFlight ?? 8);
  const server = createServer((req, res) => {
    handle(
      req,
      res,
      { ...options, invoke: (event) => admit(() => options.invoke(event)) },
      maxBodyBytes,
    ).catch((error: unknown) => {
      if (!res.headersSent) send(res, gatewayMessage(500, 'Internal Server Error'));
      console.error(`api gateway bridge: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Runs at most `limit` tasks at once, the rest in arrival order. */
function admission(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so `running` never exceeds `limit`.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}

function checkRoutes(options: ApiGatewayBridgeOptions): void {
  if (options.routes.length === 0) throw new Error('the bridge needs at least one route');
  for (const route of options.routes) {
    parseRouteKey(route.routeKey);
    if (route.authorizationType === 'CUSTOM' || route.authorizationType === 'JWT') {
      throw new Error(
        `route "${route.routeKey}" uses a ${route.authorizationType} authorizer, which the bridge cannot run; deploy with auth iam or none`,
      );
    }
    if (route.authorizationType === 'AWS_IAM' && options.sigv4 === undefined) {
      throw new Error(
        `route "${route.routeKey}" is AWS_IAM: give the bridge sigv4 options to verify signatures`,
      );
    }
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ApiGatewayBridgeOptions,
  maxBodyBytes: number,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://bridge');
  const method = req.method ?? 'GET';
  const headers = flattenHeaders(req.headers);
  const body = await readBody(req, maxBodyBytes);
  if (body === undefined) return send(res, gatewayMessage(413, 'Request Entity Too Large'));
  const match = matchGatewayRoute(options.routes, method, url.pathname);
  if (match === undefined) return send(res, gatewayMessage(404, 'Not Found'));
  if (match.route.authorizationType === 'AWS_IAM') {
    const verdict = await verifySigV4(
      { method, url: `http://${headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, headers, body },
      options.sigv4!,
    );
    if (!verdict.ok) return send(res, gatewayMessage(403, verdict.message));
  }
  const event = toApiGatewayEvent({
    method,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    match,
    now: new Date(),
    requestId: randomUUID(),
  });
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_SYNC_PAYLOAD_BYTES) {
    return send(res, gatewayMessage(413, 'Request Entity Too Large'));
  }
  send(res, toGatewayResponse(await options.invoke(event)));
}

function send(res: ServerResponse, response: GatewayResponse): void {
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

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    total += (chunk as Buffer).byteLength;
    // Keep draining so the client sees our 413 rather than a reset connection.
    if (total > maxBytes) tooLarge = true;
    else chunks.push(chunk as Buffer);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}
