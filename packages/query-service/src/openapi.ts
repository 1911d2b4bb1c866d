import {
  API_ROUTES,
  FAULT_REASONS,
  INDEX_NAME_PATTERN,
  MAX_BATCH_QUERIES,
  MAX_TOP_K,
  type RouteId,
} from '@squash/contracts';

/**
 * The OpenAPI 3.1 description of the HTTP API, served at `GET /openapi.json` (docs/http-api.md).
 * Paths, methods and summaries come from the contracts' route table (`API_ROUTES`); what each
 * route takes and answers is `OPERATIONS`, a `Record<RouteId, ...>`, so a route cannot be missing
 * here without failing the type check.
 */
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const jsonContent = (ref: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
});

const indexParam = {
  name: 'index',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: `^${INDEX_NAME_PATTERN}$` },
};

const OPERATIONS: Record<RouteId, Record<string, unknown>> = {
  health: {
    responses: {
      200: { description: 'every served index loads', content: jsonContent('Health') },
      503: {
        description: 'an index cannot be loaded (named with its error)',
        content: jsonContent('Health'),
      },
    },
  },
  openapi: { responses: { 200: { description: 'this document' } } },
  listIndexes: {
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
  describeIndex: {
    parameters: [indexParam],
    responses: {
      200: { description: 'description', content: jsonContent('IndexSummary') },
      404: errorResponse('unknown index'),
    },
  },
  query: {
    parameters: [indexParam],
    requestBody: { required: true, content: jsonContent('QueryRequest') },
    responses: {
      200: {
        description:
          'matches; complete: false with missingPartitions and faults when a partition could not be searched',
        content: jsonContent('QueryResponse'),
      },
      400: errorResponse(
        'malformed JSON, wrong dimension, topK out of range or null, bad filter, unknown field, ANSWER_TOO_LARGE',
      ),
      404: errorResponse('unknown index'),
      413: errorResponse('body over 6 MB'),
      415: errorResponse('not JSON'),
      429: errorResponse('concurrency limit'),
      500: errorResponse('internal error (with request id)'),
      503: errorResponse('no partition reachable, or the index still loading (retry)'),
    },
  },
  queryBatch: {
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
                maxItems: MAX_BATCH_QUERIES,
                items: { $ref: '#/components/schemas/QueryRequest' },
              },
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: 'one result per query, in order',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                results: { type: 'array', items: { $ref: '#/components/schemas/QueryResult' } },
                usage: { $ref: '#/components/schemas/Usage' },
              },
            },
          },
        },
      },
      400: errorResponse('invalid request, or ANSWER_TOO_LARGE (the answer could exceed 6 MB)'),
      404: errorResponse('unknown index'),
      413: errorResponse('body over 6 MB'),
      415: errorResponse('not JSON'),
      429: errorResponse('concurrency limit'),
      500: errorResponse('internal error (with request id)'),
      503: errorResponse('no partition reachable, or the index still loading (retry)'),
    },
  },
};

function paths(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    out[route.path] ??= {};
    out[route.path]![route.method.toLowerCase()] = { summary: route.summary, ...OPERATIONS[route.id] };
  }
  return out;
}

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'squash',
    version: '1',
    description: 'Serverless filtered vector search. Distances: lower is closer, in the index metric.',
  },
  paths: paths(),
  components: {
    schemas: {
      QueryRequest: {
        type: 'object',
        required: ['vector'],
        additionalProperties: false,
        properties: {
          vector: { type: 'array', items: { type: 'number' } },
          topK: { type: 'integer', minimum: 1, maximum: MAX_TOP_K, default: 10 },
          filter: { type: 'object', description: 'JSON filter language, see docs/filters.md' },
          include: { type: 'array', items: { enum: ['attributes'] } },
        },
      },
      QueryResult: {
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
          faults: { type: 'array', items: { $ref: '#/components/schemas/PartitionFault' } },
        },
      },
      Usage: {
        type: 'object',
        properties: {
          partitions: { type: 'integer' },
          invocations: { type: 'integer' },
          coldStarts: { type: 'integer' },
          bytesRead: { type: 'integer' },
          latencyMs: { type: 'number' },
        },
      },
      QueryResponse: {
        allOf: [
          { $ref: '#/components/schemas/QueryResult' },
          { type: 'object', properties: { usage: { $ref: '#/components/schemas/Usage' } } },
        ],
      },
      PartitionFault: {
        type: 'object',
        required: ['partition', 'reason', 'message'],
        properties: {
          partition: { type: 'integer' },
          reason: { enum: [...FAULT_REASONS] },
          message: { type: 'string' },
          key: { type: 'string', description: 'store key of the damaged object (INDEX_CORRUPT)' },
        },
      },
      Health: {
        type: 'object',
        properties: {
          status: { enum: ['ok', 'degraded'] },
          indexes: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                status: { enum: ['ok', 'error'] },
                version: { type: 'string' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
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
