import { Type } from '@sinclair/typebox';

/** Per index: whether the coordinator can load its current version (routing objects included). */
export const IndexHealthSchema = Type.Union([
  Type.Object({ status: Type.Literal('ok'), version: Type.String() }, { additionalProperties: false }),
  Type.Object(
    {
      status: Type.Literal('error'),
      code: Type.String({ description: 'the error code loading the index failed with' }),
      message: Type.String(),
    },
    { additionalProperties: false },
  ),
]);

/** Body of `GET /health`: 200 when every index loads, 503 when one cannot. */
export const HealthResponseSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    indexes: Type.Record(Type.String(), IndexHealthSchema),
  },
  { additionalProperties: false, description: 'whether every served index loads' },
);
