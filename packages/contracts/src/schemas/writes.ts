import { Type } from '@sinclair/typebox';
import { AttributeValueSchema, JsonObjectSchema } from './common.ts';
import { IndexSummarySchema } from './indexes.ts';
import { INCLUDE_VALUES } from './query.ts';

/**
 * Bodies and answers of the write routes (issue 14): create and delete an index, upsert, delete
 * and fetch rows. Structure only, as for queries: what depends on the index (the vector's length,
 * attribute names and types against its schema) and what JSON Schema cannot say (an id's length
 * in UTF-8 bytes, a duplicate id, the serialized size of metadata) is checked after, with its own
 * code (`DIMENSION_MISMATCH`, `INVALID_ATTRIBUTE`, `INVALID_ID`, `DUPLICATE_ID`,
 * `METADATA_TOO_LARGE`). Every check runs before anything is written: a request is applied whole
 * or not at all.
 */

/** Most rows of one upsert, ids of one delete or of one fetch. */
export const MAX_WRITE_ROWS = 1000;
/** Longest id, in UTF-8 bytes. */
export const MAX_ID_BYTES = 512;
/** Largest metadata object of one row, serialized as JSON, in bytes (40 KB). */
export const MAX_METADATA_BYTES = 40 * 1024;
/** Largest dimension of an index created through the API. */
export const MAX_CREATE_DIM = 65_536;

const ATTRIBUTE_TYPES = ['number', 'integer', 'category', 'boolean'] as const;

/** Body of `PUT /v1/indexes/{index}`. */
export const CreateIndexRequestSchema = Type.Object(
  {
    dim: Type.Integer({ minimum: 1, maximum: MAX_CREATE_DIM, description: 'dimension of every vector' }),
    metric: Type.Union([Type.Literal('l2'), Type.Literal('cosine'), Type.Literal('ip')], {
      description: 'distance: l2 (squared Euclidean), cosine or ip (negated inner product)',
    }),
    schema: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          { type: Type.Union(ATTRIBUTE_TYPES.map((t) => Type.Literal(t))) },
          { additionalProperties: false },
        ),
        { description: 'attribute name -> {"type": number | integer | category | boolean}; none by default' },
      ),
    ),
  },
  { additionalProperties: false, description: 'the definition of a new index, fixed once created' },
);

/** Answer of `PUT /v1/indexes/{index}`: 201 when created, 200 when the same definition existed. */
export const CreateIndexResponseSchema = Type.Object(
  {
    created: Type.Boolean({ description: 'false when an index with this definition already existed' }),
    index: IndexSummarySchema,
  },
  { additionalProperties: false, description: 'the index, created now or before' },
);

/** Answer of `DELETE /v1/indexes/{index}`. */
export const DeleteIndexResponseSchema = Type.Object(
  { deleted: Type.Literal(true) },
  { additionalProperties: false, description: 'the index and all its data are gone' },
);

// No minLength: an empty id is refused after the schema, with the ids' own code (INVALID_ID).
const IdSchema = Type.String({
  description: `a row id: 1..${MAX_ID_BYTES} UTF-8 bytes, unique within the index`,
});

/** One row of an upsert. */
export const UpsertRowSchema = Type.Object(
  {
    id: IdSchema,
    vector: Type.Array(Type.Number(), { description: "exactly the index's dim finite numbers" }),
    attributes: Type.Optional(
      Type.Record(Type.String(), AttributeValueSchema, {
        description: "values of attributes of the index's schema (null or absent: missing); filterable",
      }),
    ),
    metadata: Type.Optional(
      Type.Unsafe<Record<string, unknown>>({
        ...JsonObjectSchema,
        description: `any JSON object, at most ${MAX_METADATA_BYTES} bytes serialized; stored and returned, never filtered on`,
      }),
    ),
  },
  { additionalProperties: false, description: 'a row to insert, or to replace when its id exists' },
);

/** Body of `POST /v1/indexes/{index}/vectors/upsert`. */
export const UpsertRequestSchema = Type.Object(
  {
    vectors: Type.Array(UpsertRowSchema, {
      minItems: 1,
      maxItems: MAX_WRITE_ROWS,
      description: `1..${MAX_WRITE_ROWS} rows, each id at most once`,
    }),
  },
  { additionalProperties: false, description: 'rows to insert or replace, applied whole or not at all' },
);

/** Answer of an upsert or a delete. */
const WriteAnswerFields = {
  sequence: Type.Integer({
    minimum: 1,
    description: "the write's position in the index's log; every query that starts after this answer sees it",
  }),
};

export const UpsertResponseSchema = Type.Object(
  { upserted: Type.Integer({ minimum: 1, description: 'rows written' }), ...WriteAnswerFields },
  { additionalProperties: false, description: 'the write is durable and visible' },
);

/** Body of `POST /v1/indexes/{index}/vectors/delete`. */
export const DeleteVectorsRequestSchema = Type.Object(
  {
    ids: Type.Array(IdSchema, {
      minItems: 1,
      maxItems: MAX_WRITE_ROWS,
      description: `1..${MAX_WRITE_ROWS} ids, each at most once; an id that does not exist is not an error`,
    }),
  },
  { additionalProperties: false, description: 'rows to delete, applied whole or not at all' },
);

export const DeleteVectorsResponseSchema = Type.Object(
  {
    deleted: Type.Integer({ minimum: 1, description: 'ids named (deleting a missing id is a no-op)' }),
    ...WriteAnswerFields,
  },
  { additionalProperties: false, description: 'the delete is durable and visible' },
);

/** Body of `POST /v1/indexes/{index}/vectors/fetch`. */
export const FetchRequestSchema = Type.Object(
  {
    ids: Type.Array(IdSchema, {
      minItems: 1,
      maxItems: MAX_WRITE_ROWS,
      description: `1..${MAX_WRITE_ROWS} ids, each at most once`,
    }),
    include: Type.Optional(
      Type.Array(Type.Union(INCLUDE_VALUES.map((value) => Type.Literal(value))), {
        description: 'fields per row besides the id: attributes, metadata, vector',
      }),
    ),
  },
  { additionalProperties: false, description: 'rows to read by id' },
);

export const FetchedRowSchema = Type.Object(
  {
    id: Type.String(),
    vector: Type.Optional(Type.Array(Type.Number())),
    attributes: Type.Optional(Type.Record(Type.String(), AttributeValueSchema)),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false, description: 'a live row' },
);

export const FetchResponseSchema = Type.Object(
  {
    vectors: Type.Array(FetchedRowSchema, {
      description: 'the live rows among the ids, in request order; ids that do not exist are left out',
    }),
  },
  { additionalProperties: false, description: 'the rows found' },
);
