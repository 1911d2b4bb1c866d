import {
  type AnswerSchemaOf,
  MAX_SYNC_PAYLOAD_BYTES,
  matchPath,
  openApiDocument,
  type RouteId,
  type Static,
} from '@squash/contracts';
import { quote } from '@squash/errors';
import type { CoordinatorService } from './coordinator-service.ts';
import type { ApiGatewayV2Event, ApiGatewayV2Result } from './http-api-gateway.ts';
import { errorResult, jsonResult } from './http-errors.ts';
import { RequestError } from './request-error.ts';
import type { WriteService } from './write-service.ts';

export interface RouterLog {
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** Options of `routeHttp`. */
export interface RouteOptions {
  /** Epoch ms by which the answer must be out (queries answer partially by then). */
  readonly deadline?: number;
}

/** A successful handler's body with a status other than 200 (`/health` answers 503 when degraded). */
class StatusAnswer<Body> {
  constructor(
    readonly statusCode: number,
    readonly body: Body,
  ) {}
}

/** What the routes call: queries and reads on the coordinator, writes on the write service. */
export interface ApiServices {
  readonly coordinator: CoordinatorService;
  readonly writes: WriteService;
}

/** A route's handler; its answer has the static type of the route's 200 schema (`ROUTE_SCHEMAS`). */
type Handler<Answer> = (
  services: ApiServices,
  params: Readonly<Record<string, string>>,
  event: ApiGatewayV2Event,
  requestId: string,
  options: RouteOptions,
) => Promise<Answer | StatusAnswer<Answer>> | Answer;

/**
 * What each route of the contracts' route table does, keyed by `RouteId`: a route added to
 * `API_ROUTES` without a handler here fails the type check, and so does a handler whose answer
 * does not have the type of its route's response schema. Request bodies are validated by the
 * service against `ROUTE_SCHEMAS[route].body` (`validateBody`).
 */
const HANDLERS: { readonly [R in RouteId]: Handler<Static<AnswerSchemaOf<R>>> } = {
  health: async ({ coordinator }) => {
    const report = await coordinator.health();
    return new StatusAnswer(report.status === 'ok' ? 200 : 503, report);
  },
  openapi: () => openApiDocument(),
  listIndexes: async ({ coordinator }) => ({ indexes: await coordinator.listIndexes() }),
  describeIndex: ({ coordinator }, { index }) => coordinator.describe(index!),
  createIndex: async ({ writes }, { index }, event) => {
    const answer = await writes.createIndex(index!, parseJsonBody(event));
    return new StatusAnswer(answer.created ? 201 : 200, answer);
  },
  deleteIndex: ({ writes }, { index }) => writes.deleteIndex(index!),
  query: ({ coordinator }, { index }, event, id, o) =>
    coordinator.query(index!, parseJsonBody(event), id, o.deadline),
  queryBatch: ({ coordinator }, { index }, event, id, o) =>
    coordinator.batch(index!, parseJsonBody(event), id, o.deadline),
  upsertVectors: ({ writes }, { index }, event) => writes.upsert(index!, parseJsonBody(event)),
  deleteVectors: ({ writes }, { index }, event) => writes.delete(index!, parseJsonBody(event)),
  fetchVectors: ({ coordinator }, { index }, event, _id, o) =>
    coordinator.fetch(index!, parseJsonBody(event), o.deadline),
};

/**
 * Turns an API Gateway v2 event into a call on the coordinator service and the result into an
 * HTTP response. Never throws: every failure becomes a JSON error body (see `errorResult`).
 */
export async function routeHttp(
  services: ApiServices,
  event: ApiGatewayV2Event,
  requestId: string,
  log: RouterLog,
  options: RouteOptions = {},
): Promise<ApiGatewayV2Result> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath;
  const started = Date.now();
  let result: ApiGatewayV2Result;
  try {
    const answer = await dispatch(services, method, path, event, requestId, options);
    result = fitted(
      answer instanceof StatusAnswer ? jsonResult(answer.statusCode, answer.body) : jsonResult(200, answer),
    );
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
  services: ApiServices,
  method: string,
  path: string,
  event: ApiGatewayV2Event,
  requestId: string,
  options: RouteOptions,
): Promise<unknown> {
  const match = matchPath(path);
  if (match === undefined) {
    throw new RequestError('ROUTE_NOT_FOUND', `no route ${method} ${quote(path)}; see GET /openapi.json`);
  }
  const route = match.routes.find((r) => r.method === method);
  if (route === undefined) {
    throw new RequestError(
      'METHOD_NOT_ALLOWED',
      `${quote(method)} is not allowed on ${quote(path)}; allowed: ${match.routes.map((r) => r.method).join(', ')}`,
    );
  }
  return HANDLERS[route.id](services, match.params, event, requestId, options);
}

/**
 * The result, if it fits the synchronous response limit. The coordinator refuses requests whose
 * answer could exceed it before any work (`assertAnswerFits`); this catches what its row bounds
 * cannot know in advance (string ids longer than assumed), so an oversized answer is a clear 400
 * rather than a Lambda `ResponseSizeTooLarge` 500.
 */
function fitted(result: ApiGatewayV2Result): ApiGatewayV2Result {
  const bytes = Buffer.byteLength(JSON.stringify(result));
  if (bytes <= MAX_SYNC_PAYLOAD_BYTES) return result;
  throw new RequestError(
    'ANSWER_TOO_LARGE',
    `the answer took ${bytes} bytes; an answer carries at most ${MAX_SYNC_PAYLOAD_BYTES}: lower topK, leave out include, or split the batch`,
  );
}

function parseJsonBody(event: ApiGatewayV2Event): unknown {
  // A body without a content-type is read as JSON, and so is curl's default for `-d`
  // (application/x-www-form-urlencoded), so `curl -d '{...}'` works as typed; a body that says
  // it is anything else is refused.
  const type = headerOf(event, 'content-type');
  if (type !== undefined && !/^application\/((.+\+)?json|x-www-form-urlencoded)\b/i.test(type)) {
    throw new RequestError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-type is ${quote(type)}; allowed: application/json (or none)`,
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
