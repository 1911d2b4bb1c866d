import {
  API_ROUTES,
  bodyProblem,
  errorBodySchema,
  errorsByStatus,
  ROUTE_SCHEMAS,
  type RouteId,
  type TSchema,
} from '@squash/contracts';
import { buildIndex } from '@squash/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import { routeHttp } from '../src/http-router.ts';
import { type InProcessTree, inProcessTree } from './support/in-process-tree.ts';

/**
 * The router's real answers against the route schemas: a field the service sends and the schema
 * does not describe (or the reverse) fails here, as does an error code a route answers with
 * that its schema entry does not list.
 */
const data = syntheticClusters({ n: 200, dim: 4, nq: 2, clusters: 2, seed: 5 });
const vector = Array.from(data.queries.subarray(0, 4));
const silent = { info: () => {}, error: () => {} };
let tree: InProcessTree;

beforeAll(async () => {
  const index = buildIndex(data.base, data.n, data.dim, {
    metric: 'l2',
    attributes: data.attributes,
    partitions: 2,
  });
  tree = await inProcessTree(index);
});

async function call(route: RouteId, index: string, body?: unknown) {
  const { method, path } = API_ROUTES.find((r) => r.id === route)!;
  const result = await routeHttp(
    tree.services,
    {
      rawPath: path.replace('{index}', index),
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      requestContext: { http: { method } },
    },
    'req',
    silent,
  );
  return { status: result.statusCode, body: JSON.parse(result.body) as unknown };
}

function expectAnswerMatches(route: RouteId, answer: { status: number; body: unknown }): void {
  const schema = (ROUTE_SCHEMAS[route].responses as Record<number, TSchema>)[answer.status];
  const codes = errorsByStatus(ROUTE_SCHEMAS[route].errors).find(([status]) => status === answer.status)?.[1];
  const expected = schema ?? (codes === undefined ? undefined : errorBodySchema(codes));
  expect([route, answer.status, expected === undefined]).toEqual([route, answer.status, false]);
  expect([route, answer.status, bodyProblem(expected!, answer.body)]).toEqual([
    route,
    answer.status,
    undefined,
  ]);
}

describe('route answers', () => {
  it('match their route response schemas', async () => {
    const answers: Array<[RouteId, { status: number; body: unknown }]> = [
      ['health', await call('health', 'idx')],
      ['openapi', await call('openapi', 'idx')],
      ['listIndexes', await call('listIndexes', 'idx')],
      ['describeIndex', await call('describeIndex', 'idx')],
      [
        'query',
        await call('query', 'idx', {
          vector,
          topK: 3,
          include: ['attributes'],
          filter: { label: { $gte: 0 } },
        }),
      ],
      ['queryBatch', await call('queryBatch', 'idx', { queries: [{ vector }, { vector, topK: 1 }] })],
    ];
    for (const [route, answer] of answers) {
      expect([route, answer.status]).toEqual([route, 200]);
      expectAnswerMatches(route, answer);
    }
    const [, query] = answers[4]!;
    expect((query.body as { matches: unknown[] }).matches).toHaveLength(3);
  });

  it('answer errors with the error body and a code their route lists for that status', async () => {
    const cases: Array<[RouteId, string, unknown, string]> = [
      ['query', 'idx', { vector, topK: null }, 'INVALID_REQUEST'],
      ['query', 'idx', { vector: [1] }, 'DIMENSION_MISMATCH'],
      ['query', 'idx', { vector, filter: { nope: 1 } }, 'INVALID_FILTER'],
      ['query', 'idx', '{"vector": [', 'INVALID_JSON'],
      ['query', 'missing', { vector }, 'INDEX_NOT_FOUND'],
      ['queryBatch', 'idx', { queries: [] }, 'INVALID_REQUEST'],
      ['describeIndex', 'missing', undefined, 'INDEX_NOT_FOUND'],
    ];
    for (const [route, index, body, code] of cases) {
      const answer = await call(route, index, body);
      expect([route, code, (answer.body as { error: { code: string } }).error.code]).toEqual([
        route,
        code,
        code,
      ]);
      expectAnswerMatches(route, answer);
    }
  });
});
