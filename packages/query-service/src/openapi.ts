/** The OpenAPI 3.1 description of the HTTP API, served at `GET /openapi.json` (docs/http-api.md). */
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const indexParam = {
  name: 'index',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' },
};

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'squash',
    version: '1',
    description: 'Serverless filtered vector search. Distances: lower is closer, in the index metric.',
  },
  paths: {
    '/health': { get: { summary: 'Liveness', responses: { 200: { description: 'ok' } } } },
    '/v1/indexes': {
      get: {
        summary: 'Names of the served indexes',
        responses: {
          200: {
            description: 'names',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { indexes: { type: 'array', items: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
    '/v1/indexes/{index}': {
      get: {
        summary: 'Index description',
        parameters: [indexParam],
        responses: {
          200: {
            description: 'description',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/IndexSummary' } } },
          },
          404: errorResponse('unknown index'),
        },
      },
    },
    '/v1/indexes/{index}/query': {
      post: {
        summary: 'k nearest neighbours of one vector, optionally filtered',
        parameters: [indexParam],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryRequest' } } },
        },
        responses: {
          200: {
            description: 'matches',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryResponse' } } },
          },
          400: errorResponse('malformed JSON, wrong dimension, topK out of range, bad filter, unknown field'),
          404: errorResponse('unknown index'),
          413: errorResponse('body over 6 MB'),
          415: errorResponse('not JSON'),
          429: errorResponse('concurrency limit'),
          500: errorResponse('internal error (with request id)'),
          503: errorResponse('no partition reachable'),
        },
      },
    },
    '/v1/indexes/{index}/query:batch': {
      post: {
        summary: 'Up to 1000 queries in one fan-out',
        parameters: [indexParam],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['queries'],
                additionalProperties: false,
                properties: {
                  queries: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 1000,
                    items: { $ref: '#/components/schemas/QueryRequest' },
                  },
                },
              },
            },
          },
        },
        responses: {
          200: { description: 'one result per query, in order' },
          400: errorResponse('invalid request'),
          404: errorResponse('unknown index'),
        },
      },
    },
  },
  components: {
    schemas: {
      QueryRequest: {
        type: 'object',
        required: ['vector'],
        additionalProperties: false,
        properties: {
          vector: { type: 'array', items: { type: 'number' } },
          topK: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
          filter: { type: 'object', description: 'JSON filter language, see docs/filters.md' },
          include: { type: 'array', items: { enum: ['attributes'] } },
        },
      },
      QueryResponse: {
        type: 'object',
        properties: {
          matches: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                distance: { type: 'number' },
                attributes: { type: 'object' },
              },
            },
          },
          complete: { type: 'boolean' },
          missingPartitions: { type: 'array', items: { type: 'integer' } },
          usage: {
            type: 'object',
            properties: {
              partitions: { type: 'integer' },
              invocations: { type: 'integer' },
              coldStarts: { type: 'integer' },
              bytesRead: { type: 'integer' },
              latencyMs: { type: 'number' },
            },
          },
        },
      },
      IndexSummary: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          dim: { type: 'integer' },
          metric: { enum: ['l2', 'ip', 'cosine'] },
          count: { type: 'integer' },
          version: { type: 'string' },
          partitions: { type: 'integer' },
          schema: { type: 'object' },
        },
      },
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              code: { type: 'string' },
              message: { type: 'string' },
              requestId: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;
