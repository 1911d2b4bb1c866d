import { Type } from '@sinclair/typebox';

/**
 * Answer of `GET /openapi.json`: an OpenAPI 3.1 document. Only its outline is described here;
 * the OpenAPI specification's own schema describes the rest (a test validates the document).
 */
export const OpenApiDocumentSchema = Type.Object(
  {
    openapi: Type.Literal('3.1.0'),
    info: Type.Object({
      title: Type.String(),
      version: Type.String(),
      description: Type.Optional(Type.String()),
    }),
    paths: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
    components: Type.Record(Type.String(), Type.Unknown()),
  },
  { description: 'this API as an OpenAPI 3.1 document' },
);
