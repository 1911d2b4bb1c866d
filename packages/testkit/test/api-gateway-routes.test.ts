import { describe, expect, it } from 'vitest';
import { type GatewayRoute, matchGatewayRoute, parseRouteKey } from '../src/api-gateway-routes.ts';

const routes: GatewayRoute[] = [
  'POST /v1/indexes/{index}/query',
  'POST /v1/indexes/{index}/{operation}',
  'GET /v1/indexes',
  'GET /v1/indexes/{index}',
  'GET /files/{path+}',
  '$default',
].map((routeKey) => ({ routeKey, authorizationType: 'AWS_IAM' }));

describe('parseRouteKey', () => {
  it('accepts $default, literal segments, variables and a trailing greedy variable', () => {
    expect(parseRouteKey('$default')).toBeUndefined();
    expect(parseRouteKey('GET /openapi.json')).toEqual({ method: 'GET', segments: ['openapi.json'] });
    expect(parseRouteKey('ANY /a/{b}/{c+}')?.segments).toEqual(['a', '{b}', '{c+}']);
    expect(parseRouteKey('GET /')).toEqual({ method: 'GET', segments: [] });
  });

  it('rejects keys API Gateway would refuse, naming the part that is wrong', () => {
    expect(() => parseRouteKey('POST /v1/indexes/{index}/query:batch')).toThrow(/segment "query:batch"/);
    expect(() => parseRouteKey('FETCH /x')).toThrow(/method FETCH/);
    expect(() => parseRouteKey('GET x')).toThrow(/not "\$default" or "METHOD \/path"/);
    expect(() => parseRouteKey('GET /{a+}/b')).toThrow(/greedy variable/);
    expect(() => parseRouteKey('GET /a//b')).toThrow(/segment ""/);
  });
});

describe('matchGatewayRoute', () => {
  const key = (method: string, path: string) => matchGatewayRoute(routes, method, path)?.route.routeKey;

  it('prefers the route with more literal segments from the left', () => {
    expect(key('POST', '/v1/indexes/mnist/query')).toBe('POST /v1/indexes/{index}/query');
    expect(matchGatewayRoute(routes, 'POST', '/v1/indexes/mnist/query:batch')).toMatchObject({
      route: { routeKey: 'POST /v1/indexes/{index}/{operation}' },
      pathParameters: { index: 'mnist', operation: 'query:batch' },
    });
  });

  it('decodes path variables and lets a greedy variable take the rest of the path', () => {
    expect(matchGatewayRoute(routes, 'get', '/v1/indexes/my%20index')?.pathParameters).toEqual({
      index: 'my index',
    });
    expect(matchGatewayRoute(routes, 'GET', '/files/a/b.txt')?.pathParameters).toEqual({ path: 'a/b.txt' });
  });

  it('falls back to $default for unknown paths, wrong methods and empty variables', () => {
    expect(key('GET', '/v1/indexes/mnist/query')).toBe('$default');
    expect(key('DELETE', '/v1/indexes/mnist')).toBe('$default');
    expect(key('GET', '/v1/indexes/')).toBe('$default');
    expect(key('GET', '/files/')).toBe('$default');
  });

  it('routes PUT and DELETE by method on the same path, and the write operations beside the {operation} route', () => {
    const writes: GatewayRoute[] = [
      'GET /v1/indexes/{index}',
      'PUT /v1/indexes/{index}',
      'DELETE /v1/indexes/{index}',
      'POST /v1/indexes/{index}/{operation}',
      'POST /v1/indexes/{index}/vectors/upsert',
      'POST /v1/indexes/{index}/vectors/delete',
    ].map((routeKey) => ({ routeKey, authorizationType: 'AWS_IAM' }));
    const match = (method: string, path: string) => matchGatewayRoute(writes, method, path);
    expect(match('PUT', '/v1/indexes/docs')).toEqual({
      route: { routeKey: 'PUT /v1/indexes/{index}', authorizationType: 'AWS_IAM' },
      pathParameters: { index: 'docs' },
    });
    expect(match('delete', '/v1/indexes/docs')?.route.routeKey).toBe('DELETE /v1/indexes/{index}');
    expect(match('GET', '/v1/indexes/docs')?.route.routeKey).toBe('GET /v1/indexes/{index}');
    expect(match('POST', '/v1/indexes/docs/vectors/upsert')?.route.routeKey).toBe(
      'POST /v1/indexes/{index}/vectors/upsert',
    );
    expect(match('POST', '/v1/indexes/docs/vectors/fetch')).toBeUndefined();
    expect(match('PATCH', '/v1/indexes/docs')).toBeUndefined();
  });

  it('matches nothing when there is no $default route', () => {
    expect(matchGatewayRoute(routes.slice(0, 4), 'GET', '/health')).toBeUndefined();
  });
});
