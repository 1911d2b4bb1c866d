import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import {
  API_ROUTES,
  buildOpenApiDocument,
  FAULT_REASONS,
  HTTP_STATUS_BY_CODE,
  openApiDocument,
  ROUTE_SCHEMAS,
} from '../src/index.ts';

type Operation = {
  operationId: string;
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
const components = (openApiDocument().components as { schemas: Record<string, Record<string, unknown>> })
  .schemas;

function operationOf(id: string): Operation {
  const route = API_ROUTES.find((r) => r.id === id)!;
  return paths[route.path]![route.method.toLowerCase()]!;
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(openApiDocument()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes exactly the routes of the route table, one operation id each', () => {
    const documented = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(documented.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path} ${r.id}`).sort());
  });

  it('has a request body exactly on the routes that take one', () => {
    for (const route of API_ROUTES)
      expect([route.id, operationOf(route.id).requestBody !== undefined]).toEqual([route.id, route.hasBody]);
  });

  it('lists each route error code under its status, with the error body', () => {
    for (const route of API_ROUTES) {
      const { responses } = operationOf(route.id);
      for (const code of ROUTE_SCHEMAS[route.id].errors) {
        const response = responses[String(HTTP_STATUS_BY_CODE[code])];
        expect([route.id, code, response?.description.split(', ')]).toEqual([
          route.id,
          code,
          expect.arrayContaining([code]),
        ]);
        expect(JSON.stringify(response?.content?.['application/json']?.schema)).toContain(
          `"const":"${code}"`,
        );
      }
    }
  });

  it('resolves every schema reference and names shared schemas once', () => {
    const text = JSON.stringify(openApiDocument());
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
    expect(new Set(refs)).toEqual(
      new Set([
        'QueryRequest',
        'QueryResult',
        'QueryMatch',
        'Usage',
        'PartitionFault',
        'QueryResponse',
        'BatchQueryRequest',
        'BatchQueryResponse',
        'IndexList',
        'IndexSummary',
        'Health',
        'IndexHealth',
      ]),
    );
    for (const ref of refs) expect([ref, ref in components]).toEqual([ref, true]);
  });

  it('lists every fault reason and every include value', () => {
    const reasons = JSON.stringify(components.PartitionFault);
    for (const reason of FAULT_REASONS) expect(reasons).toContain(`"const":"${reason}"`);
    const include = JSON.stringify(components.QueryRequest);
    for (const value of ['attributes', 'metadata', 'vector']) expect(include).toContain(`"const":"${value}"`);
  });

  it('refuses to describe a route that has no schema entry', () => {
    const route = { ...API_ROUTES[0]!, id: 'notARoute' as never };
    expect(() => buildOpenApiDocument([route])).toThrow('route notARoute has no entry in ROUTE_SCHEMAS');
  });
});
