import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { type ErrorBody, FUNCTION_NAMES } from '@squash/contracts';
import {
  flattenHeaders,
  type HttpResponseParts,
  MAX_REQUEST_PAYLOAD_BYTES,
  serializeEvent,
  toApiGatewayEvent,
} from '@squash/lambda-runtime';
import { AdmissionLane, type Refusal } from './admission.ts';
import { API_KEY_HEADER, apiKeyChecker } from './api-key.ts';
import { applyCors, type CorsOptions } from './cors.ts';
import { internalError, invokeCoordinator, RETRY_AFTER_S } from './invoke-coordinator.ts';
import { readBody } from './read-body.ts';
import { checkRawPath } from './request-path.ts';
import { RequestRejectedError } from './serve-errors.ts';

export interface HttpFrontOptions {
  readonly host: string;
  readonly port: number;
  /** Invoke API base URL of the runtime that hosts the coordinator, secret included. */
  readonly runtimeUrl: string;
  readonly log: (line: string) => void;
  /**
   * Queries (POST) in flight at once; more wait in the query lane. Locally every query competes
   * for the same cores, so admitting more than a few per core only adds latency. @default 2 * cores
   */
  readonly maxInFlight?: number;
  /** Cross-origin access for browser clients. @default off */
  readonly cors?: CorsOptions;
  /** Queries allowed to wait; one more is answered 429 with `Retry-After`. @default 256 */
  readonly maxQueued?: number;
  /**
   * Reads (GET, HEAD, OPTIONS: `/health`, index descriptions, the OpenAPI document) in flight at
   * once. They have their own lane, so they never wait behind queries. @default 2
   */
  readonly readsInFlight?: number;
  /** Longest a request waits for a place before a 429 with `Retry-After`. @default 5000 */
  readonly maxQueueWaitMs?: number;
  /**
   * Longest the whole body may take to arrive, read before the request takes a place; past it
   * the answer is 408 `REQUEST_TIMEOUT` and the connection closes. @default 10000
   */
  readonly bodyTimeoutMs?: number;
  /** Longest the request line and headers may take (Node's `headersTimeout`). @default 10000 */
  readonly headersTimeoutMs?: number;
  /**
   * Coordinator functions per lane. A lane with its own function has its own worker processes,
   * so reads never wait for a worker that a query holds. @default both FUNCTION_NAMES.coordinator
   */
  readonly coordinatorFunctions?: { readonly queries: string; readonly reads: string };
  /** When set, every request must carry it as `x-api-key` (else 401 `UNAUTHORIZED`). @default none */
  readonly apiKey?: string;
}

/** A running front; `stats()` shows both admission lanes, for tests and the load benchmark. */
export interface HttpFront {
  readonly server: Server;
  readonly url: string;
  stats(): { queries: LaneStats; reads: LaneStats };
}

export interface LaneStats {
  readonly running: number;
  readonly queued: number;
}

const DEFAULT_COORDINATORS = {
  queries: FUNCTION_NAMES.coordinator,
  reads: FUNCTION_NAMES.coordinator,
} as const;

interface Front {
  readonly options: HttpFrontOptions;
  readonly queries: AdmissionLane;
  readonly reads: AdmissionLane;
  readonly maxQueueWaitMs: number;
  readonly bodyTimeoutMs: number;
  readonly keyMatches: ((given: string | string[] | undefined) => boolean) | undefined;
}

/**
 * The API Gateway of `squash serve`: turns each HTTP request into an API Gateway HTTP API
 * (payload format 2.0) event, invokes the coordinator through the Lambda Invoke API, and writes
 * the function's result back as the HTTP response, as API Gateway does. Before a request takes an
 * admission place its path is checked, its API key too when one is set, and its body is read
 * under a deadline and measured as the Lambda event it becomes (413 when that is over 6 MiB).
 * Queries and reads wait in separate lanes; a request whose client leaves frees its place at once.
 */
export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const front: Front = {
    options,
    queries: new AdmissionLane(options.maxInFlight ?? 2 * availableParallelism(), options.maxQueued ?? 256),
    reads: new AdmissionLane(options.readsInFlight ?? 2, options.maxQueued ?? 256),
    maxQueueWaitMs: options.maxQueueWaitMs ?? 5000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
    keyMatches: options.apiKey === undefined ? undefined : apiKeyChecker(options.apiKey),
  };
  const server = createServer((request, response) => {
    const requestId = randomUUID();
    handle(front, request, response, requestId).catch((error: unknown) => {
      options.log(`http front error ${requestId}: ${(error as Error).message}`);
      if (!response.headersSent) sendRejection(response, internalError(requestId), requestId);
      else response.destroy();
    });
  });
  const headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
  server.headersTimeout = headersTimeoutMs;
  // Node's own backstop (it answers 408 by itself); ours answers first, with a JSON body.
  server.requestTimeout = headersTimeoutMs + front.bodyTimeoutMs + 1000;
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    stats: () => ({
      queries: { running: front.queries.running, queued: front.queries.queued },
      reads: { running: front.reads.running, queued: front.reads.queued },
    }),
  };
}

async function handle(
  front: Front,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
): Promise<void> {
  const started = Date.now();
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  const method = (request.method ?? 'GET').toUpperCase();
  const [rawPath = '/', rawQueryString = ''] = splitTarget(request.url ?? '/');
  if (applyCors(front.options.cors, request, response)) {
    front.options.log(`${method} ${rawPath} 204 preflight ${requestId}`);
    return;
  }
  try {
    const answer = await answerRequest(
      front,
      request,
      { method, rawPath, rawQueryString, requestId },
      gone.signal,
    );
    if (answer === undefined) {
      front.options.log(`${method} ${rawPath} client gone ${Date.now() - started}ms ${requestId}`);
      return;
    }
    send(response, answer, method === 'HEAD');
  } catch (error) {
    if (!(error instanceof RequestRejectedError)) throw error;
    sendRejection(response, error, requestId);
  }
  front.options.log(`${method} ${rawPath} ${response.statusCode} ${Date.now() - started}ms ${requestId}`);
}

interface Target {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly requestId: string;
}

/** The response to send, or undefined when the client left; throws `RequestRejectedError`. */
async function answerRequest(
  front: Front,
  request: IncomingMessage,
  target: Target,
  signal: AbortSignal,
): Promise<HttpResponseParts | undefined> {
  if (front.keyMatches !== undefined && !front.keyMatches(request.headers[API_KEY_HEADER])) {
    request.resume();
    throw new RequestRejectedError(
      'UNAUTHORIZED',
      `missing or wrong ${API_KEY_HEADER} header; this server requires its API key`,
    );
  }
  const pathError = checkRawPath(target.rawPath);
  if (pathError !== undefined) {
    request.resume();
    throw pathError;
  }
  const body = await receiveBody(front, request);
  if (body === undefined) return undefined;
  if (target.method === 'OPTIONS') return answerOptions(front, request, target, signal);
  // HEAD is GET without the body (RFC 9110 9.3.2): same status and headers, Content-Length included.
  const method = target.method === 'HEAD' ? 'GET' : target.method;
  return invokeAdmitted(front, request, { ...target, method }, body, signal);
}

/** The body, read before any admission place is taken; undefined when the client left. */
async function receiveBody(front: Front, request: IncomingMessage): Promise<Buffer | undefined> {
  const outcome = await readBody(request, {
    maxBytes: MAX_REQUEST_PAYLOAD_BYTES,
    timeoutMs: front.bodyTimeoutMs,
  });
  switch (outcome.kind) {
    case 'body':
      return outcome.body;
    case 'aborted':
      return undefined;
    case 'timeout':
      throw new RequestRejectedError(
        'REQUEST_TIMEOUT',
        `the body did not arrive within ${front.bodyTimeoutMs} ms (${outcome.bytes} bytes came); send the whole body at once`,
      );
    case 'too-large':
      throw new RequestRejectedError(
        'PAYLOAD_TOO_LARGE',
        `body has ${outcome.bytes} bytes; allowed: at most ${MAX_REQUEST_PAYLOAD_BYTES} (6 MiB, Lambda's request limit)`,
      );
  }
}

/** OPTIONS answers `Allow` for the path, learnt by asking the coordinator for it as a GET. */
async function answerOptions(
  front: Front,
  request: IncomingMessage,
  target: Target,
  signal: AbortSignal,
): Promise<HttpResponseParts | undefined> {
  if (target.rawPath === '*') return allowResponse('GET, HEAD, POST, OPTIONS');
  const probe = await invokeAdmitted(front, request, { ...target, method: 'GET' }, Buffer.alloc(0), signal);
  if (probe === undefined || probe.statusCode === 404) return probe;
  return allowResponse(probe.statusCode === 405 ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS');
}

function allowResponse(allow: string): HttpResponseParts {
  return { statusCode: 204, headers: { allow }, body: Buffer.alloc(0) };
}

/** Builds and measures the event, waits for a place in the request's lane, invokes. */
async function invokeAdmitted(
  front: Front,
  request: IncomingMessage,
  target: Target,
  body: Buffer,
  signal: AbortSignal,
): Promise<HttpResponseParts | undefined> {
  const event = serializeEvent(
    toApiGatewayEvent({
      method: target.method,
      rawPath: target.rawPath,
      rawQueryString: target.rawQueryString,
      headers: flattenHeaders(request.headers),
      body,
      sourceIp: request.socket.remoteAddress ?? '',
      requestId: target.requestId,
    }),
  );
  if (!event.ok) {
    throw new RequestRejectedError(
      'PAYLOAD_TOO_LARGE',
      `the request becomes a ${event.bytes}-byte Lambda event (a ${body.length}-byte body grows when JSON-escaped); allowed: at most ${event.maxBytes} bytes`,
    );
  }
  const laneName = target.method === 'POST' ? 'queries' : 'reads';
  const place = await front[laneName].enter(signal, front.maxQueueWaitMs);
  if (typeof place === 'string') return refused(place, front.maxQueueWaitMs);
  try {
    const coordinator = {
      runtimeUrl: front.options.runtimeUrl,
      functionName: (front.options.coordinatorFunctions ?? DEFAULT_COORDINATORS)[laneName],
      log: front.options.log,
    };
    return await invokeCoordinator(coordinator, event.payload, target.requestId, signal);
  } finally {
    place.release();
  }
}

function refused(reason: Refusal, maxQueueWaitMs: number): undefined {
  if (reason === 'caller-gone') return undefined;
  const why =
    reason === 'queue-full'
      ? 'too many requests are waiting'
      : `no place came free within ${maxQueueWaitMs} ms`;
  throw new RequestRejectedError('TOO_MANY_REQUESTS', `${why}; retry after ${RETRY_AFTER_S} s`, {
    retryAfterS: RETRY_AFTER_S,
  });
}

function send(response: ServerResponse, answer: HttpResponseParts, head: boolean): void {
  const headers: Record<string, string | number> = {
    ...answer.headers,
    'content-length': answer.body.length,
  };
  if (answer.statusCode === 429 && headers['retry-after'] === undefined)
    headers['retry-after'] = RETRY_AFTER_S;
  response.writeHead(answer.statusCode, headers);
  response.end(head ? undefined : answer.body);
}

/** The one place the front's own errors become HTTP: `{ error: { code, message } }`. */
function sendRejection(response: ServerResponse, error: RequestRejectedError, requestId: string): void {
  const status = error.status;
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(status >= 500 ? { requestId } : {}) },
  };
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
  };
  if (error.retryAfterS !== undefined) headers['retry-after'] = error.retryAfterS;
  // A body that never arrived, or arrived too large, leaves the connection in an unknown state.
  if (error.code === 'REQUEST_TIMEOUT' || error.code === 'PAYLOAD_TOO_LARGE') headers.connection = 'close';
  response.writeHead(status, headers);
  response.end(response.req?.method === 'HEAD' ? undefined : text);
}

function splitTarget(url: string): [string, string] {
  const question = url.indexOf('?');
  return question < 0 ? [url, ''] : [url.slice(0, question), url.slice(question + 1)];
}
