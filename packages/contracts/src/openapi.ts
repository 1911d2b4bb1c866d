import type { Static, TSchema } from '@sinclair/typebox';
import { type ApiErrorCode, HTTP_STATUS_BY_CODE } from './errors.ts';
import { API_ROUTES, type ApiRoute, INDEX_NAME_PATTERN } from './routes.ts';
import { PartitionFaultSchema, QueryMatchSchema, QueryUsageSchema } from './schemas/common.ts';
import { ErrorBodySchema, errorBodySchema } from './schemas/error-body.ts';
import { HealthResponseSchema, IndexHealthSchema } from './schemas/health.ts';
import { IndexListSchema, IndexSummarySchema } from './schemas/indexes.ts';
import type { OpenApiDocumentSchema } from './schemas/openapi-document.ts';
import {
  BatchQueryRequestSchema,
  BatchQueryResponseSchema,
  QueryRequestSchema,
  QueryResponseSchema,
  QueryResultSchema,
} from './schemas/query.ts';
import { ROUTE_SCHEMAS, type RouteSchema } from './schemas/route-schemas.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
/** Content key of each named schema -> its name and description. */
type Refs = Map<string, { name: string; description: string | undefined }>;

/** An OpenAPI 3.1 document (its outline; see `OpenApiDocumentSchema`). */
export type OpenApiDocument = Static<typeof OpenApiDocumentSchema>;

/**
 * Schemas named in the document's `components.schemas`. Wherever one of them appears inside
 * another schema (compared by content, descriptions aside), the document says `$ref` instead, so
 * generated clients get one named type per wire type.
 */
const COMPONENTS: Readonly<Record<string, TSchema>> = {
  QueryRequest: QueryRequestSchema,
  BatchQueryRequest: BatchQueryRequestSchema,
  QueryResponse: QueryResponseSchema,
  QueryResult: QueryResultSchema,
  BatchQueryResponse: BatchQueryResponseSchema,
  QueryMatch: QueryMatchSchema,
  Usage: QueryUsageSchema,
  PartitionFault: PartitionFaultSchema,
  IndexList: IndexListSchema,
  IndexSummary: IndexSummarySchema,
  Health: HealthResponseSchema,
  IndexHealth: IndexHealthSchema,
  Error: ErrorBodySchema,
};

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route table (`API_ROUTES`: paths,
 * methods, summaries), the route schemas (`ROUTE_SCHEMAS`: bodies, answers, error codes) and the
 * status table (`HTTP_STATUS_BY_CODE`: each error code's status). Nothing in it is written by hand,
 * so it cannot disagree with the validation or the types. Served at `GET /openapi.json`.
 */
export function buildOpenApiDocument(
  routes: readonly ApiRoute[] = API_ROUTES,
  schemas: Readonly<Record<string, RouteSchema>> = ROUTE_SCHEMAS,
): OpenApiDocument {
  const refs = new Map(
    Object.entries(COMPONENTS).map(([name, schema]) => [
      keyOf(toJson(schema)),
      { name, description: schema.description },
    ]),
  );
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const schema = schemas[route.id];
    if (schema === undefined) throw new Error(`route ${route.id} has no entry in ROUTE_SCHEMAS`);
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, schema, refs);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'squash',
      version: '1',
      description: 'Serverless filtered vector search. Distances: lower is closer, in the index metric.',
    },
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(COMPONENTS).map(([name, schema]) => [name, withRefs(toJson(schema), refs, true)]),
      ),
    },
  };
}

function operation(route: ApiRoute, schema: RouteSchema, refs: Refs): JsonObject {
  const parameters = [...route.path.matchAll(/\{([A-Za-z]+)\}/g)].map(([, name]) => ({
    name: name!,
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: `^${INDEX_NAME_PATTERN}$` },
  }));
  const responses: JsonObject = {};
  for (const [status, answer] of Object.entries(schema.responses)) {
    responses[status] = {
      description: answer.description ?? 'success',
      content: { 'application/json': { schema: withRefs(toJson(answer), refs, false) } },
    };
  }
  for (const [status, codes] of errorsByStatus(schema.errors)) {
    responses[String(status)] = {
      description: codes.join(', '),
      content: { 'application/json': { schema: toJson(errorBodySchema(codes)) } },
    };
  }
  return {
    operationId: route.id,
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(schema.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: withRefs(toJson(schema.body), refs, false) } },
          },
        }),
    responses,
  };
}

/** The codes grouped by their status, statuses ascending, codes in the given order. */
export function errorsByStatus(codes: readonly ApiErrorCode[]): Array<[number, ApiErrorCode[]]> {
  const groups = new Map<number, ApiErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = HTTP_STATUS_BY_CODE[code];
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b);
}

/** A TypeBox schema as plain JSON Schema (TypeBox's own symbol keys dropped). */
function toJson(schema: TSchema): JsonObject {
  return JSON.parse(JSON.stringify(schema)) as JsonObject;
}

/** Content key of a schema: sorted keys, the top-level description left out. */
function keyOf(schema: JsonObject): string {
  const { description: _description, ...rest } = schema;
  return JSON.stringify(sorted(rest));
}

function sorted(value: Json): Json {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted(value[key]!)]),
  );
}

/** `node` with every named sub-schema replaced by its `$ref` (the root too, unless `isRoot`). */
function withRefs(node: Json, refs: Refs, isRoot: boolean): Json {
  if (Array.isArray(node)) return node.map((item) => withRefs(item, refs, false));
  if (node === null || typeof node !== 'object') return node;
  const named = isRoot ? undefined : refs.get(keyOf(node));
  if (named !== undefined) {
    const ref = { $ref: `#/components/schemas/${named.name}` };
    // A description of this use (the 503 of /health, say) stays beside the reference.
    const own = node.description;
    return typeof own === 'string' && own !== named.description ? { ...ref, description: own } : ref;
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withRefs(value, refs, false)]));
}

let served: OpenApiDocument | undefined;

/**
 * The document `GET /openapi.json` serves, built on first use and kept: importing contracts (as
 * every function does) costs no document build, only the coordinator's first request for it.
 */
export function openApiDocument(): OpenApiDocument {
  served ??= buildOpenApiDocument();
  return served;
}
