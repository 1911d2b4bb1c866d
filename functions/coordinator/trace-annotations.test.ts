import { describe, expect, it } from 'vitest';
import { routeAnnotations } from './trace-annotations.ts';

const event = (method: string, rawPath: string) => ({ rawPath, requestContext: { http: { method } } });

describe('routeAnnotations', () => {
  it('names the API route and the index, never the raw path', () => {
    expect(routeAnnotations(event('POST', '/v1/indexes/mnist/query'))).toEqual({
      route: 'query',
      index: 'mnist',
    });
    expect(routeAnnotations(event('post', '/v1/indexes/docs.v2/query:batch'))).toEqual({
      route: 'queryBatch',
      index: 'docs.v2',
    });
    expect(routeAnnotations(event('GET', '/v1/indexes/mnist'))).toEqual({
      route: 'describeIndex',
      index: 'mnist',
    });
    expect(routeAnnotations(event('GET', '/health'))).toEqual({ route: 'health' });
  });

  it('says unmatched for an unknown path or a method the path does not serve', () => {
    expect(routeAnnotations(event('GET', '/v2/nothing'))).toEqual({ route: 'unmatched' });
    expect(routeAnnotations(event('PATCH', '/v1/indexes/mnist'))).toEqual({
      route: 'unmatched',
      index: 'mnist',
    });
  });
});
