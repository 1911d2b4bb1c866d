import { Type } from '@sinclair/typebox';
import { PartitionFaultSchema, QueryMatchSchema, QueryUsageSchema } from './common.ts';

/** Largest `topK` of one query. */
export const MAX_TOP_K = 1000;
/** Neighbours returned when a query leaves `topK` out. */
export const DEFAULT_TOP_K = 10;
/** Most queries in one `query:batch` request. */
export const MAX_BATCH_QUERIES = 1000;

/**
 * What `include` can add to each match. `attributes` costs nothing extra (processors hold the
 * attribute columns); `metadata` and `vector` make processors read more per match, and every
 * value counts towards the 6 MB answer limit (`ANSWER_TOO_LARGE`).
 */
export const INCLUDE_VALUES = ['attributes', 'metadata', 'vector'] as const;

/**
 * Body of `POST /v1/indexes/{index}/query`. Structure only: the vector's length (it must equal the
 * index's `dim`, else `DIMENSION_MISMATCH`) and the filter (`INVALID_FILTER`, parsed by core's
 * filter parser against the index's attribute schema) depend on the index and are checked after.
 */
export const QueryRequestSchema = Type.Object(
  {
    vector: Type.Array(Type.Number(), {
      description: "the query vector: exactly the index's dim finite numbers",
    }),
    topK: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_TOP_K,
        default: DEFAULT_TOP_K,
        description: 'neighbours to return; null is refused, not read as the default',
      }),
    ),
    // Typed `unknown` for TypeScript callers (a filter is whatever JSON the caller holds); the
    // schema still requires an object or null, and its language is checked by parseFilter.
    filter: Type.Optional(
      Type.Unsafe<unknown>(
        Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
          description: 'a filter in the JSON filter language of docs/filters.md; null means none',
        }),
      ),
    ),
    include: Type.Optional(
      Type.Array(Type.Union(INCLUDE_VALUES.map((value) => Type.Literal(value))), {
        description: 'extra fields per match: attributes, metadata, vector',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'one k-nearest-neighbour query; unknown fields are refused (a typo must not fall back to a default)',
  },
);

/** One query's answer inside a batch (a single query's answer adds `usage`). */
export const QueryResultSchema = Type.Object(
  {
    matches: Type.Array(QueryMatchSchema, {
      description: 'min(topK, rows matching the filter) neighbours, nearest first (ties: lower row first)',
    }),
    complete: Type.Boolean({
      description: 'false when a partition could not be searched; missingPartitions and faults name it',
    }),
    missingPartitions: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0 }), {
        description: 'the partitions this query should have searched and could not, ascending',
      }),
    ),
    faults: Type.Optional(
      Type.Array(PartitionFaultSchema, {
        description: 'one entry per missing partition, in the same order, with the reason',
      }),
    ),
  },
  { additionalProperties: false },
);

export const QueryResponseSchema = Type.Object(
  { ...QueryResultSchema.properties, usage: QueryUsageSchema },
  { additionalProperties: false, description: 'the neighbours of one query' },
);

export const BatchQueryRequestSchema = Type.Object(
  {
    queries: Type.Array(QueryRequestSchema, {
      minItems: 1,
      maxItems: MAX_BATCH_QUERIES,
      description: 'the queries, answered in one fan-out',
    }),
  },
  { additionalProperties: false, description: 'up to 1000 queries in one request' },
);

export const BatchQueryResponseSchema = Type.Object(
  {
    results: Type.Array(QueryResultSchema, { description: 'one result per query, in order' }),
    usage: QueryUsageSchema,
  },
  { additionalProperties: false, description: 'one result per query and one usage for the batch' },
);
