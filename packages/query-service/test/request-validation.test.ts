import { buildIndex } from '@squash/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticClusters } from '../../../test/support/synthetic.ts';
import type { ApiGatewayV2Result } from '../src/http-api-gateway.ts';
import { routeHttp } from '../src/http-router.ts';
import type { RequestError } from '../src/request-error.ts';
import { validateBatch, validateQuery } from '../src/validate-query.ts';
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
    tree.services,
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

describe('validateQuery and validateBatch', () => {
  const dim = 4;
  const schema = { label: { type: 'integer' } } as const;
  const v = [1, 2, 3, 4];
  const rejection = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return { code: (error as RequestError).code, message: (error as Error).message };
    }
    throw new Error('expected a rejection');
  };

  it('exposes each include value as its own boolean and defaults topK to 10', () => {
    const none = validateQuery({ vector: v }, dim, schema);
    expect([none.includeAttributes, none.includeMetadata, none.includeVector, none.topK]).toEqual([
      false,
      false,
      false,
      10,
    ]);
    const all = validateQuery({ vector: v, include: ['vector', 'metadata', 'attributes'] }, dim, schema);
    expect([all.includeAttributes, all.includeMetadata, all.includeVector]).toEqual([true, true, true]);
    const some = validateQuery({ vector: v, include: ['metadata'] }, dim, schema);
    expect([some.includeAttributes, some.includeMetadata, some.includeVector]).toEqual([false, true, false]);
    expect(Array.from(all.vector)).toEqual(v);
  });

  it('rejects an include value outside attributes, metadata, vector with INVALID_REQUEST', () => {
    expect(rejection(() => validateQuery({ vector: v, include: ['vectors'] }, dim, schema))).toEqual({
      code: 'INVALID_REQUEST',
      message: 'include[0] is the string "vectors"; allowed: "attributes", "metadata" or "vector"',
    });
  });

  it('reports an unknown field before the missing field it probably misspells', () => {
    expect(rejection(() => validateQuery({ vectr: v }, dim, schema))).toEqual({
      code: 'INVALID_REQUEST',
      message: 'unknown field "vectr"; allowed: vector, topK, filter, include',
    });
    expect(rejection(() => validateQuery({ topK: 3 }, dim, schema)).message).toBe(
      'vector is missing; allowed: an array of finite numbers',
    );
  });

  it('checks the dimension after the structure, with DIMENSION_MISMATCH', () => {
    expect(rejection(() => validateQuery({ vector: [1, 2, 3] }, dim, schema))).toEqual({
      code: 'DIMENSION_MISMATCH',
      message: 'vector has 3 dimensions; the index expects 4',
    });
    expect(rejection(() => validateQuery({ vector: [1, 2, 'x'] }, dim, schema)).code).toBe('INVALID_REQUEST');
  });

  it('refuses a filter that is not an object, reads a null filter as none, and parses the rest', () => {
    expect(rejection(() => validateQuery({ vector: v, filter: 'label = 1' }, dim, schema))).toEqual({
      code: 'INVALID_REQUEST',
      message: 'filter is the string "label = 1"; allowed: a JSON object or null',
    });
    expect(validateQuery({ vector: v, filter: null }, dim, schema).filter).toBeUndefined();
    expect(validateQuery({ vector: v, filter: { label: 3 } }, dim, schema).filterJson).toEqual({ label: 3 });
    expect(rejection(() => validateQuery({ vector: v, filter: { color: 1 } }, dim, schema)).code).toBe(
      'INVALID_FILTER',
    );
  });

  it('refuses an empty batch, one over 1000 queries, and names the query at fault', () => {
    expect(rejection(() => validateBatch({ queries: [] }, dim, schema)).message).toBe(
      'queries is an array of 0 entries; allowed: an array of 1..1000 JSON objects with a "vector" field',
    );
    expect(
      rejection(() => validateBatch({ queries: Array(1001).fill({ vector: v }) }, dim, schema)).code,
    ).toBe('INVALID_REQUEST');
    expect(
      rejection(() => validateBatch({ queries: [{ vector: v }, { vector: [1] }] }, dim, schema)),
    ).toEqual({
      code: 'DIMENSION_MISMATCH',
      message: 'queries[1].vector has 1 dimensions; the index expects 4',
    });
    expect(rejection(() => validateBatch({ queries: [{ vector: v }, [1]] }, dim, schema)).message).toBe(
      'queries[1] is an array of 1 entry; allowed: a JSON object with a "vector" field',
    );
    expect(
      validateBatch({ queries: [{ vector: v }, { vector: v, topK: 2 }] }, dim, schema).map((q) => q.topK),
    ).toEqual([10, 2]);
  });

  it('names a body that is not an object', () => {
    expect(rejection(() => validateQuery('x', dim, schema)).message).toBe(
      'body is the string "x"; allowed: a JSON object with a "vector" field',
    );
    expect(rejection(() => validateBatch(null, dim, schema)).message).toBe(
      'body is null; allowed: a JSON object with a "queries" field',
    );
  });
});
