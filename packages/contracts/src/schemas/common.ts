import { type Static, Type } from '@sinclair/typebox';

/**
 * Pieces shared by several answers: a match, the usage of a request, a partition fault. Each
 * schema is the wire contract (the OpenAPI document and the request validation use it); the
 * TypeScript types in `http-api.ts` are its `Static`.
 */

/**
 * Why a partition could not be searched for a query:
 * - `TIMEOUT`: the request deadline passed before the partition answered (slow or hung processor,
 *   or no time left for a retry or a second routing round);
 * - `THROTTLED`: the processor function was throttled (concurrency limit), also on the retry;
 * - `CRASHED`: the function failed (process exit, unhandled error, malformed answer);
 * - `UNREACHABLE`: the invocation itself failed (5xx, network, function missing);
 * - `RESPONSE_TOO_LARGE`: the answer of a single query exceeded the invocation limit;
 * - `INDEX_CORRUPT`: a partition object failed its size or checksum check (`key` names it);
 * - `STORAGE_ERROR`: the store failed (permissions, network, a missing object);
 * - `FORBIDDEN`: the function refused the index URI (outside its configured store roots);
 * - `INTERNAL`: anything else (see the function's log for the request id).
 */
export const FAULT_REASONS = [
  'TIMEOUT',
  'THROTTLED',
  'CRASHED',
  'UNREACHABLE',
  'RESPONSE_TOO_LARGE',
  'INDEX_CORRUPT',
  'STORAGE_ERROR',
  'FORBIDDEN',
  'INTERNAL',
] as const;

export const FaultReasonSchema = Type.Union(
  FAULT_REASONS.map((reason) => Type.Literal(reason)),
  { description: 'why the partition could not be searched (docs/http-api.md lists the reasons)' },
);

export const PartitionFaultSchema = Type.Object(
  {
    partition: Type.Integer({ minimum: 0 }),
    reason: FaultReasonSchema,
    message: Type.String({ description: 'for people: what failed, bounded in length' }),
    key: Type.Optional(Type.String({ description: 'the store key of the damaged object (INDEX_CORRUPT)' })),
  },
  { additionalProperties: false, description: 'a partition that could not be searched, and why' },
);

export const QueryUsageSchema = Type.Object(
  {
    partitions: Type.Integer({ minimum: 0, description: 'partitions searched' }),
    invocations: Type.Integer({
      minimum: 0,
      description: 'function invocations made for this request (tree nodes and processors, retries included)',
    }),
    coldStarts: Type.Integer({ minimum: 0, description: 'processor cold starts among them' }),
    bytesRead: Type.Integer({ minimum: 0, description: 'bytes of codes, vectors and objects read' }),
    latencyMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false, description: 'what a request cost' },
);

/** A value of an attribute column (`null` where the row has none). */
export const AttributeValueSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/** A JSON object of any shape (a row's metadata). */
export const JsonObjectSchema = Type.Record(Type.String(), Type.Unknown());

export const QueryMatchSchema = Type.Object(
  {
    id: Type.String(),
    distance: Type.Number({ description: "distance in the index's metric; lower is closer" }),
    attributes: Type.Optional(
      Type.Record(Type.String(), AttributeValueSchema, {
        description: 'the row\'s attribute values (with include "attributes")',
      }),
    ),
    metadata: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'the row\'s metadata, a JSON object (with include "metadata")',
      }),
    ),
    vector: Type.Optional(
      Type.Array(Type.Number(), { description: 'the row\'s stored vector (with include "vector")' }),
    ),
  },
  { additionalProperties: false, description: 'one neighbour' },
);

export type FaultReason = Static<typeof FaultReasonSchema>;
