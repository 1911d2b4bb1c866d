import type { Static } from '@sinclair/typebox';
import type { PartitionFaultSchema, QueryMatchSchema, QueryUsageSchema } from './schemas/common.ts';
import type { ErrorBodySchema } from './schemas/error-body.ts';
import type { HealthResponseSchema, IndexHealthSchema } from './schemas/health.ts';
import type { IndexListSchema, IndexSummarySchema } from './schemas/indexes.ts';
import type {
  BatchQueryRequestSchema,
  BatchQueryResponseSchema,
  INCLUDE_VALUES,
  QueryRequestSchema,
  QueryResponseSchema,
  QueryResultSchema,
} from './schemas/query.ts';
import type {
  CreateIndexRequestSchema,
  CreateIndexResponseSchema,
  DeleteIndexResponseSchema,
  DeleteVectorsRequestSchema,
  DeleteVectorsResponseSchema,
  FetchedRowSchema,
  FetchRequestSchema,
  FetchResponseSchema,
  UpsertRequestSchema,
  UpsertResponseSchema,
  UpsertRowSchema,
} from './schemas/writes.ts';

/**
 * Wire types of the HTTP API (docs/http-api.md, `GET /openapi.json`). The schemas in `schemas/`
 * are the source of truth: each type here is the `Static` of its schema, so the types, the request
 * validation and the OpenAPI document cannot drift apart. Field docs live in the schemas'
 * `description`s (and so in the OpenAPI document).
 */

export type { FaultReason } from './schemas/common.ts';
export { FAULT_REASONS } from './schemas/common.ts';
export { DEFAULT_TOP_K, INCLUDE_VALUES, MAX_BATCH_QUERIES, MAX_TOP_K } from './schemas/query.ts';

/** Body of `POST /v1/indexes/{index}/query`. */
export type QueryRequest = Static<typeof QueryRequestSchema>;
/** A value of a query's `include`. */
export type IncludeValue = (typeof INCLUDE_VALUES)[number];
/** One neighbour in an answer. */
export type QueryMatch = Static<typeof QueryMatchSchema>;
export type QueryUsage = Static<typeof QueryUsageSchema>;
/** A partition that could not be searched, and why. */
export type PartitionFault = Static<typeof PartitionFaultSchema>;
/** One query's answer inside a batch. */
export type QueryResult = Static<typeof QueryResultSchema>;
/** Answer of `POST /v1/indexes/{index}/query`. */
export type QueryResponse = Static<typeof QueryResponseSchema>;
/** Body of `POST /v1/indexes/{index}/query:batch`: up to 1000 queries, one fan-out. */
export type BatchQueryRequest = Static<typeof BatchQueryRequestSchema>;
export type BatchQueryResponse = Static<typeof BatchQueryResponseSchema>;
/** Answer of `GET /v1/indexes`. */
export type IndexList = Static<typeof IndexListSchema>;
/** Answer of `GET /v1/indexes/{index}`. */
export type IndexSummary = Static<typeof IndexSummarySchema>;
/** Per index: whether the coordinator can load its current version (routing objects included). */
export type IndexHealth = Static<typeof IndexHealthSchema>;
/** Body of `GET /health`: 200 when every index loads, 503 when one cannot. */
export type HealthResponse = Static<typeof HealthResponseSchema>;
/** Body of every error answer. */
export type ErrorBody = Static<typeof ErrorBodySchema>;

/** Body of `PUT /v1/indexes/{index}`. */
export type CreateIndexRequest = Static<typeof CreateIndexRequestSchema>;
export type CreateIndexResponse = Static<typeof CreateIndexResponseSchema>;
export type DeleteIndexResponse = Static<typeof DeleteIndexResponseSchema>;
/** Body of `POST /v1/indexes/{index}/vectors/upsert`. */
export type UpsertRequest = Static<typeof UpsertRequestSchema>;
export type UpsertRow = Static<typeof UpsertRowSchema>;
export type UpsertResponse = Static<typeof UpsertResponseSchema>;
/** Body of `POST /v1/indexes/{index}/vectors/delete`. */
export type DeleteVectorsRequest = Static<typeof DeleteVectorsRequestSchema>;
export type DeleteVectorsResponse = Static<typeof DeleteVectorsResponseSchema>;
/** Body of `POST /v1/indexes/{index}/vectors/fetch`. */
export type FetchRequest = Static<typeof FetchRequestSchema>;
export type FetchedRow = Static<typeof FetchedRowSchema>;
export type FetchResponse = Static<typeof FetchResponseSchema>;
