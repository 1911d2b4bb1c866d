import { type TSchema, Type } from '@sinclair/typebox';
import type { ApiErrorCode } from '../errors.ts';
import type { RouteId } from '../routes.ts';
import { HealthResponseSchema } from './health.ts';
import { IndexListSchema, IndexSummarySchema } from './indexes.ts';
import { OpenApiDocumentSchema } from './openapi-document.ts';
import {
  BatchQueryRequestSchema,
  BatchQueryResponseSchema,
  QueryRequestSchema,
  QueryResponseSchema,
} from './query.ts';
import {
  CreateIndexRequestSchema,
  CreateIndexResponseSchema,
  DeleteIndexResponseSchema,
  DeleteVectorsRequestSchema,
  DeleteVectorsResponseSchema,
  FetchRequestSchema,
  FetchResponseSchema,
  UpsertRequestSchema,
  UpsertResponseSchema,
} from './writes.ts';

/** What one route takes and answers. */
export interface RouteSchema {
  /** The JSON body, for routes with `hasBody`; requests are validated against it. */
  readonly body?: TSchema;
  /** Successful answers by status; the schema's `description` describes the answer. */
  readonly responses: Readonly<Record<number, TSchema>>;
  /**
   * The error codes the route answers with (statuses from `HTTP_STATUS_BY_CODE`); the OpenAPI
   * document lists them per status with the error body.
   */
  readonly errors: readonly ApiErrorCode[];
}

/** Codes any request can meet before its route runs, or after (throttling, a crash). */
const ANY_REQUEST: readonly ApiErrorCode[] = [
  'INVALID_PATH',
  'UNAUTHORIZED',
  'TOO_MANY_REQUESTS',
  'INTERNAL',
];

/** Codes of reading a JSON body and checking it against the route's schema. */
const WITH_BODY: readonly ApiErrorCode[] = [
  'INVALID_JSON',
  'INVALID_REQUEST',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];

/** Codes of loading an index's current version (manifest and routing objects). */
const LOADS_INDEX: readonly ApiErrorCode[] = [
  'INDEX_NOT_FOUND',
  'FORBIDDEN',
  'INDEX_CORRUPT',
  'BLOB_NOT_FOUND',
  'STORAGE_ERROR',
  'NO_PARTITION_REACHABLE',
];

/** Codes of running a query: the index-dependent checks, the answer bound, the search. */
const RUNS_QUERY: readonly ApiErrorCode[] = [
  'DIMENSION_MISMATCH',
  'INVALID_FILTER',
  'INVALID_ARGUMENT',
  'ANSWER_TOO_LARGE',
  'WASM_UNAVAILABLE',
];

/** Codes of a write: the catalog (writes need a store root; static indexes are read-only) and the log. */
const WRITES: readonly ApiErrorCode[] = [
  'INDEX_NOT_FOUND',
  'FORBIDDEN',
  'STORAGE_ERROR',
  'PRECONDITION_FAILED',
];

/** Codes of checking written rows against the index: what JSON Schema cannot say. */
const CHECKS_ROWS: readonly ApiErrorCode[] = [
  'DIMENSION_MISMATCH',
  'INVALID_ID',
  'DUPLICATE_ID',
  'INVALID_ATTRIBUTE',
  'METADATA_TOO_LARGE',
];

/**
 * Codes no operation answers with: a path no route has, a method the path does not take. They are
 * still in the document (the error body's code list) and in docs/http-api.md.
 */
export const ERRORS_OUTSIDE_ROUTES: readonly ApiErrorCode[] = ['ROUTE_NOT_FOUND', 'METHOD_NOT_ALLOWED'];

/** `/health`'s answer when an index cannot be loaded: the same body, its own description. */
const HealthDegradedSchema = Type.Object(HealthResponseSchema.properties, {
  additionalProperties: false,
  description: 'an index cannot be loaded (named with its error code and message)',
});

/**
 * The schema of every route of `API_ROUTES`, a `Record` over `RouteId`: a route added to the
 * table without its schemas fails the type check. Adding a route is one `API_ROUTES` entry, one
 * entry here and one handler in the query service's router; validation (`validateBody`) and the
 * OpenAPI document follow from this table.
 */
export const ROUTE_SCHEMAS = {
  health: {
    responses: { 200: HealthResponseSchema, 503: HealthDegradedSchema },
    errors: ANY_REQUEST,
  },
  openapi: { responses: { 200: OpenApiDocumentSchema }, errors: ANY_REQUEST },
  listIndexes: { responses: { 200: IndexListSchema }, errors: ANY_REQUEST },
  describeIndex: { responses: { 200: IndexSummarySchema }, errors: [...ANY_REQUEST, ...LOADS_INDEX] },
  createIndex: {
    body: CreateIndexRequestSchema,
    responses: { 200: CreateIndexResponseSchema, 201: CreateIndexResponseSchema },
    errors: [...ANY_REQUEST, ...WITH_BODY, ...WRITES, 'INDEX_EXISTS'],
  },
  deleteIndex: { responses: { 200: DeleteIndexResponseSchema }, errors: [...ANY_REQUEST, ...WRITES] },
  query: {
    body: QueryRequestSchema,
    responses: { 200: QueryResponseSchema },
    errors: [...ANY_REQUEST, ...WITH_BODY, ...LOADS_INDEX, ...RUNS_QUERY],
  },
  queryBatch: {
    body: BatchQueryRequestSchema,
    responses: { 200: BatchQueryResponseSchema },
    errors: [...ANY_REQUEST, ...WITH_BODY, ...LOADS_INDEX, ...RUNS_QUERY],
  },
  upsertVectors: {
    body: UpsertRequestSchema,
    responses: { 200: UpsertResponseSchema },
    errors: [...ANY_REQUEST, ...WITH_BODY, ...WRITES, ...CHECKS_ROWS],
  },
  deleteVectors: {
    body: DeleteVectorsRequestSchema,
    responses: { 200: DeleteVectorsResponseSchema },
    errors: [...ANY_REQUEST, ...WITH_BODY, ...WRITES, 'INVALID_ID', 'DUPLICATE_ID'],
  },
  fetchVectors: {
    body: FetchRequestSchema,
    responses: { 200: FetchResponseSchema },
    errors: [...ANY_REQUEST, ...WITH_BODY, ...LOADS_INDEX, 'INVALID_ID', 'DUPLICATE_ID', 'ANSWER_TOO_LARGE'],
  },
} as const satisfies Readonly<Record<RouteId, RouteSchema>>;

/** The schema of a route's successful (200) answer. */
export type AnswerSchemaOf<R extends RouteId> = (typeof ROUTE_SCHEMAS)[R]['responses'][200];
