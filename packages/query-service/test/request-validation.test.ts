import { buildIndex } from '@squash/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import type { ApiGatewayV2Result } from '../src/http-api-gateway.ts';
import { routeHttp } from '../src/http-router.ts';
import { type InProcessTree, inProcessTree } from './support/in-process-tree.ts';

const data = syntheticClusters({ n: 200, dim: 4, nq: 1, clusters: 2, seed: 3 });
const vector = Array.from(data.queries);
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

function post(path: string, body: unknown): Promise<ApiGatewayV2Result> {
  return routeHttp(
    tree.coordinator,
    {
      rawPath: path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      requestContext: { http: { method: 'POST' } },
    },
    'req',
    silent,
  );
}

const errorOf = (result: ApiGatewayV2Result) =>
  (JSON.parse(result.body) as { error: { code: string; message: string } }).error;

describe('request validation', () => {
  it('rejects topK: null with 400 INVALID_REQUEST instead of using the default', async () => {
    const result = await post('/v1/indexes/idx/query', { vector, topK: null });
    expect(result.statusCode).toBe(400);
    expect(errorOf(result)).toEqual({
      code: 'INVALID_REQUEST',
      message: 'topK is null; allowed: an integer 1..1000, or leave it out for 10',
    });
    const batch = await post('/v1/indexes/idx/query:batch', {
      queries: [{ vector }, { vector, topK: null }],
    });
    expect(errorOf(batch).message).toMatch(/^queries\[1\]\.topK is null/);
    expect((await post('/v1/indexes/idx/query', { vector, include: null })).statusCode).toBe(400);
    expect(JSON.parse((await post('/v1/indexes/idx/query', { vector })).body).matches).toHaveLength(10);
  });

  it('answers a 4 MB attribute name or field name with a short 400 that does not echo it', async () => {
    const huge = 'a'.repeat(4 * 1024 * 1024);
    for (const [body, code] of [
      [{ vector, filter: { [huge]: 1 } }, 'INVALID_FILTER'],
      [{ vector, [huge]: 1 }, 'INVALID_REQUEST'],
      [{ vector, topK: huge }, 'INVALID_REQUEST'],
    ] as const) {
      const result = await post('/v1/indexes/idx/query', body);
      expect(result.statusCode).toBe(400);
      expect(errorOf(result).code).toBe(code);
      expect(result.body.length).toBeLessThan(4096);
    }
  });
});
