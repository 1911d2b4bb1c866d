import { describe, expect, it } from 'vitest';
import { type CfnTemplate, routeDifferences, routesFromTemplate } from '../src/template-routes.ts';

const target = (integration: string) => ({ 'Fn::Join': ['', ['integrations/', { Ref: integration }]] });

function template(routeKeys: readonly string[], extra: Record<string, unknown> = {}): CfnTemplate {
  const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> = {
    Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
    Integ: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] },
      },
    },
  };
  routeKeys.forEach((routeKey, i) => {
    resources[`Route${i}`] = {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { RouteKey: routeKey, AuthorizationType: 'AWS_IAM', Target: target('Integ'), ...extra },
    };
  });
  return { Resources: resources };
}

describe('routesFromTemplate', () => {
  it('reads route keys, authorization and the integrated function of every route', () => {
    const routes = routesFromTemplate(template(['GET /health', '$default']));
    expect(routes).toEqual([
      { logicalId: 'Route1', routeKey: '$default', authorizationType: 'AWS_IAM', functionLogicalId: 'Fn' },
      { logicalId: 'Route0', routeKey: 'GET /health', authorizationType: 'AWS_IAM', functionLogicalId: 'Fn' },
    ]);
  });

  it('reads a route without AuthorizationType as NONE, as CloudFormation does', () => {
    const t = template(['GET /health']);
    delete t.Resources!.Route0!.Properties!.AuthorizationType;
    expect(routesFromTemplate(t)[0]?.authorizationType).toBe('NONE');
  });

  it('rejects a route key API Gateway would refuse and a target that is not a Lambda integration', () => {
    expect(() => routesFromTemplate(template(['POST /a/b:c']))).toThrow(/segment "b:c"/);
    expect(() => routesFromTemplate(template(['GET /x'], { Target: 'integrations/abc' }))).toThrow(
      /no integrations\/<Ref> Target/,
    );
  });
});

describe('routeDifferences', () => {
  const routes = routesFromTemplate(
    template([
      'GET /health',
      'POST /v1/indexes/{index}/query',
      'POST /v1/indexes/{index}/{operation}',
      '$default',
    ]),
  );

  it('is empty when every operation has its own route and every route carries one', () => {
    expect(
      routeDifferences(routes, [
        { method: 'get', path: '/health' },
        { method: 'post', path: '/v1/indexes/{index}/query' },
        { method: 'post', path: '/v1/indexes/{index}/query:batch' },
      ]),
    ).toEqual([]);
  });

  it('names an operation only $default would reach and a route no operation uses', () => {
    expect(
      routeDifferences(routes, [
        { method: 'get', path: '/health' },
        { method: 'post', path: '/v1/indexes/{index}/query' },
        { method: 'get', path: '/v1/indexes' },
      ]),
    ).toEqual([
      'GET /v1/indexes is served by the service but has no route',
      'route POST /v1/indexes/{index}/{operation} carries no operation of the service',
    ]);
  });
});
