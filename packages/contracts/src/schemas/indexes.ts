import { Type } from '@sinclair/typebox';

/** Answer of `GET /v1/indexes`. */
export const IndexListSchema = Type.Object(
  { indexes: Type.Array(Type.String(), { description: 'names of the served indexes, sorted' }) },
  { additionalProperties: false, description: 'the served indexes' },
);

/** Answer of `GET /v1/indexes/{index}`. */
export const IndexSummarySchema = Type.Object(
  {
    name: Type.String(),
    dim: Type.Integer({ minimum: 1, description: 'vector dimensions' }),
    metric: Type.Union([Type.Literal('l2'), Type.Literal('ip'), Type.Literal('cosine')]),
    count: Type.Integer({ minimum: 0, description: 'rows' }),
    version: Type.String({ description: 'the index version served (CURRENT)' }),
    partitions: Type.Integer({ minimum: 0 }),
    schema: Type.Record(Type.String(), Type.Object({ type: Type.String() }), {
      description: 'attribute name -> its type (number, integer, category, boolean)',
    }),
  },
  { additionalProperties: false, description: 'an index description' },
);
