import { describe, expect, it } from 'vitest';
import { API_ROUTES, gatewayRouteKeys, INDEX_NAME_REGEX, matchPath } from '../src/index.ts';

describe('matchPath', () => {
  it('matches every public route with its index parameter', () => {
    expect(matchPath('/v1/indexes/mnist/query')?.routes.map((r) => r.id)).toEqual(['query']);
    expect(matchPath('/v1/indexes/mnist/query:batch')?.params).toEqual({ index: 'mnist' });
    expect(matchPath('/v1/indexes/a.b_c-1')?.routes.map((r) => r.id)).toEqual([
      'describeIndex',
      'createIndex',
      'deleteIndex',
    ]);
    expect(matchPath('/health')?.routes.map((r) => r.method)).toEqual(['GET']);
    for (const route of API_ROUTES) {
      const path = route.path.replace('{index}', 'idx');
      expect(matchPath(path)?.routes).toContain(route);
    }
  });

  it('never decodes an escape into a separator or a name', () => {
    expect(matchPath('/v1/indexes/mnist%2Fquery')).toBeUndefined();
    expect(matchPath('/v1/indexes/mnist/query%')).toBeUndefined();
    expect(matchPath('/%zz')).toBeUndefined();
    expect(matchPath('/v1/indexes/my%20index')).toBeUndefined();
  });

  it('rejects names outside the index-name pattern', () => {
    expect(matchPath('/v1/indexes/.hidden')).toBeUndefined();
    expect(matchPath(`/v1/indexes/${'a'.repeat(129)}`)).toBeUndefined();
    expect(INDEX_NAME_REGEX.test('a'.repeat(128))).toBe(true);
  });
});

describe('gateway routes', () => {
  it('carries query:batch on a variable route so no route key holds a colon', () => {
    for (const key of gatewayRouteKeys()) expect(key).not.toContain(':');
    expect(gatewayRouteKeys()).toContain('POST /v1/indexes/{index}/{operation}');
    expect(gatewayRouteKeys()).toContain('POST /v1/indexes/{index}/query');
  });
});
