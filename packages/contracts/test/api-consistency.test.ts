import { readFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  API_ERROR_CODES,
  API_ROUTES,
  bodyProblem,
  ERRORS_OUTSIDE_ROUTES,
  HTTP_STATUS_BY_CODE,
  matchPath,
  openApiDocument,
  ROUTE_SCHEMAS,
  type RouteId,
  type RouteSchema,
} from '../src/index.ts';

/**
 * The HTTP contract lives in the route table, the route schemas, the OpenAPI document generated
 * from them and docs/http-api.md. These tests fail when a route, a field or an error code is in
 * one of them and not the others.
 */
const doc = readFileSync(new URL('../../../docs/http-api.md', import.meta.url), 'utf8');

/** Every property name a schema declares, at any depth. */
function fieldNames(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  if (Array.isArray(schema)) return schema.flatMap(fieldNames);
  const record = schema as Record<string, unknown>;
  const own = record.properties === undefined ? [] : Object.keys(record.properties as object);
  return [...own, ...Object.values(record).flatMap(fieldNames)];
}

const routeSchemas = Object.entries(ROUTE_SCHEMAS) as Array<[RouteId, RouteSchema]>;

describe('HTTP API consistency', () => {
  it('every route of the route table has a schema entry, with a body exactly when it takes one', () => {
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(API_ROUTES.map((r) => r.id).sort());
    for (const route of API_ROUTES)
      expect([route.id, 'body' in ROUTE_SCHEMAS[route.id]]).toEqual([route.id, route.hasBody]);
  });

  it('every route is in docs/http-api.md with its method and path', () => {
    for (const route of API_ROUTES)
      expect([route.id, doc.includes(`\`${route.method} ${route.path}\``)]).toEqual([route.id, true]);
  });

  it('every field of a request or answer schema is named in docs/http-api.md', () => {
    const undocumented = new Set<string>();
    for (const [id, schema] of routeSchemas) {
      if (id === 'openapi') continue; // its answer is the OpenAPI specification's, not ours
      const fields = [schema.body, ...Object.values(schema.responses)].flatMap((s) => fieldNames(s));
      for (const field of fields)
        if (!doc.includes(`\`${field}\``) && !doc.includes(`"${field}"`)) undocumented.add(field);
    }
    expect([...undocumented]).toEqual([]);
  });

  it('every error code is in the OpenAPI document with its status and in docs/http-api.md', () => {
    const text = JSON.stringify(openApiDocument());
    for (const code of API_ERROR_CODES) {
      expect([code, text.includes(`"const":"${code}"`)]).toEqual([code, true]);
      expect([code, doc.includes(`| ${HTTP_STATUS_BY_CODE[code]} | \`${code}\` |`)]).toEqual([code, true]);
    }
  });

  it('every error code is answered by some route, or is named as raised outside routes', () => {
    const listed = new Set(routeSchemas.flatMap(([, schema]) => schema.errors));
    const unlisted = API_ERROR_CODES.filter((code) => !listed.has(code));
    expect(unlisted.sort()).toEqual([...ERRORS_OUTSIDE_ROUTES].sort());
  });
});

interface Example {
  readonly route: RouteId;
  readonly kind: 'request' | number;
  readonly json: string;
}

/**
 * The JSON examples of docs/http-api.md: a block line `POST /v1/indexes/mnist/query` starts a
 * request example (the JSON on the following lines), `200 {...}` an answer of the last request's
 * route. `[...]`, `{...}` and a trailing `, ...` are elisions; answers with elisions are skipped
 * (their required fields are left out), requests with elided arrays are read with empty ones.
 */
function examples(): Example[] {
  const found: Example[] = [];
  let route: RouteId | undefined; // an answer example belongs to the last request's route
  for (const [, block] of doc.matchAll(/```json\n([\s\S]*?)```/g)) {
    let current: { kind: 'request' | number; lines: string[] } | undefined;
    const flush = () => {
      if (current !== undefined && route !== undefined)
        found.push({ route, kind: current.kind, json: current.lines.join('\n') });
      current = undefined;
    };
    for (const line of block!.split('\n')) {
      const request = /^(GET|POST|PUT|DELETE) (\S+)$/.exec(line);
      const answer = /^(\d{3}) (.*)$/.exec(line);
      if (request !== null) {
        flush();
        const method = request[1]!;
        route = matchPath(request[2]!)?.routes.find((r) => r.method === method)?.id;
        expect([line, route]).toEqual([line, expect.any(String)]);
        current = { kind: 'request', lines: [] };
      } else if (answer !== null) {
        flush();
        current = { kind: Number(answer[1]), lines: [answer[2]!] };
      } else if (line.trim() === '') flush();
      else current?.lines.push(line);
    }
    flush();
  }
  return found;
}

function withoutElisions(json: string): string {
  return json.replace(/,\s*\.\.\.\s*\]/g, ']').replace(/\[\s*\.\.\.\s*\]/g, '[]');
}

describe('docs/http-api.md examples', () => {
  const all = examples();

  it('has request examples of the body routes and whole answer examples', () => {
    expect(new Set(all.filter((e) => e.kind === 'request').map((e) => e.route))).toEqual(
      new Set(['query', 'queryBatch', 'createIndex', 'upsertVectors', 'deleteVectors', 'fetchVectors']),
    );
    expect(all.filter((e) => e.kind === 200 && !e.json.includes('...')).length).toBeGreaterThanOrEqual(2);
  });

  it('states the validation messages the schemas produce', () => {
    const section = doc.slice(doc.indexOf('## Validation'));
    const rows = [...section.matchAll(/^\| `(.+)` \| `(.+)` \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [, body, message] of rows) {
      const parsed = JSON.parse(withoutElisions(body!)) as unknown;
      const schema =
        'queries' in (parsed as object) ? ROUTE_SCHEMAS.queryBatch.body : ROUTE_SCHEMAS.query.body;
      expect([body, bodyProblem(schema, parsed)]).toEqual([body, message]);
    }
  });

  for (const example of all) {
    const elided = /\.\.\./.test(example.json);
    if (example.kind !== 'request' && elided) continue;
    it(`the ${example.kind} example of ${example.route} matches its schema: ${example.json.slice(0, 60)}`, () => {
      const routeSchema = ROUTE_SCHEMAS[example.route];
      const schema: TSchema | undefined =
        example.kind === 'request'
          ? (routeSchema as { body?: TSchema }).body
          : (routeSchema.responses as Record<number, TSchema>)[example.kind];
      expect(schema).toBeDefined();
      expect(bodyProblem(schema!, JSON.parse(withoutElisions(example.json)))).toBeUndefined();
    });
  }
});
