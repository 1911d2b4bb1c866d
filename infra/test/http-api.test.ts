import { API_ROUTES, gatewayRouteKeys } from '@squash/contracts';
import { parseRouteKey, routeDifferences, routesFromTemplate } from '@squash/testkit';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_KEY_HEADER, API_KEY_SECRET_ENV } from '../lib/api-key-authorizer-code.ts';
import { DEFAULT_ROUTE_KEY, GATEWAY_ROUTES } from '../lib/api-routes.ts';
import { logicalId, render, synth } from './support/synth.ts';

/** The write routes: changing an index takes SigV4 like reading it. */
const WRITE_ROUTE_KEYS = [
  'PUT /v1/indexes/{index}',
  'DELETE /v1/indexes/{index}',
  'POST /v1/indexes/{index}/vectors/upsert',
  'POST /v1/indexes/{index}/vectors/delete',
];

const ROUTE_KEYS = [
  'POST /v1/indexes/{index}/query',
  'POST /v1/indexes/{index}/{operation}',
  'POST /v1/indexes/{index}/vectors/fetch',
  'GET /v1/indexes',
  'GET /v1/indexes/{index}',
  'GET /health',
  'GET /openapi.json',
  ...WRITE_ROUTE_KEYS,
];

function routes(template: ReturnType<typeof synth>['template']) {
  return Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
}

describe('HTTP API', () => {
  it('creates exactly the API routes plus $default, all integrated with the coordinator through one payload-2.0 proxy', () => {
    const { template, stack } = synth();
    expect(
      routes(template)
        .map((r) => r.RouteKey)
        .sort(),
    ).toEqual([...ROUTE_KEYS, DEFAULT_ROUTE_KEY].sort());
    expect(gatewayRouteKeys().sort()).toEqual([...ROUTE_KEYS].sort());
    const integrations = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(1);
    const [integrationId, integration] = integrations[0]!;
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    expect(render(integration.Properties.IntegrationUri)).toBe(
      `<${logicalId(stack.search.coordinator.function)}.Arn>`,
    );
    for (const route of routes(template))
      expect(render(route.Target)).toBe(`integrations/<${integrationId}>`);
  });

  it('lets API Gateway invoke the coordinator only from this API', () => {
    const { template, stack } = synth();
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map(
      (p) => p.Properties,
    );
    expect(permissions).toHaveLength(ROUTE_KEYS.length + 1);
    for (const p of permissions) {
      expect(p.Principal).toBe('apigateway.amazonaws.com');
      expect(render(p.FunctionName)).toBe(`<${logicalId(stack.search.coordinator.function)}.Arn>`);
      expect(render(p.SourceArn)).toContain(
        `:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalId(stack.search.httpApi!.api)}>/`,
      );
    }
  });

  it('serves a throttled, auto-deployed $default stage (100 rps, burst 200 unless configured)', () => {
    synth().template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    const custom = synth({ throttle: { rateLimit: 20, burstLimit: 40 } });
    custom.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('requires SigV4 (AWS_IAM) on every route by default', () => {
    const { template } = synth();
    expect(routes(template).every((r) => r.AuthorizationType === 'AWS_IAM')).toBe(true);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
  });

  it('routes PUT and DELETE of an index and the row writes to the coordinator behind SigV4', () => {
    const { template } = synth();
    const [integrationId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Integration'));
    const writes = routes(template).filter((r) => WRITE_ROUTE_KEYS.includes(r.RouteKey));
    expect(writes.map((r) => r.RouteKey).sort()).toEqual([...WRITE_ROUTE_KEYS].sort());
    for (const route of writes) {
      expect(route.AuthorizationType).toBe('AWS_IAM');
      expect(render(route.Target)).toBe(`integrations/<${integrationId}>`);
    }
  });

  it("checks the x-api-key header with a cached Lambda request authorizer in auth mode 'lambda'", () => {
    const { template, stack } = synth({ auth: 'lambda' });
    const authorizers = Object.entries(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: [`$request.header.${API_KEY_HEADER}`],
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 300,
    });
    const fnId = logicalId(stack.search.httpApi!.authorizerFunction!);
    expect(render(authorizer.Properties.AuthorizerUri)).toContain(`<${fnId}.Arn>`);
    for (const route of routes(template)) {
      expect(route.AuthorizationType).toBe('CUSTOM');
      expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
    }
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Code: { ZipFile: Match.stringLikeRegexp('GetSecretValueCommand') },
      Environment: {
        Variables: { [API_KEY_SECRET_ENV]: { Ref: logicalId(stack.search.httpApi!.apiKeySecret!) } },
      },
    });
    template.hasOutput('ApiKeySecretArn', { Value: { Ref: logicalId(stack.search.httpApi!.apiKeySecret!) } });
  });

  it("leaves routes open only when auth is explicitly 'none', with a synth warning", () => {
    const { template, stack } = synth({ auth: 'none' });
    expect(routes(template).every((r) => r.AuthorizationType === 'NONE')).toBe(true);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    Annotations.fromStack(stack).hasWarning(
      '/Test/Default/HttpApi',
      Match.stringLikeRegexp("auth is 'none'"),
    );
  });
});

describe('HTTP API routes', () => {
  it('creates one route per distinct gateway route of the contracts table, derived not copied', () => {
    expect(GATEWAY_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(gatewayRouteKeys());
  });

  it('uses only route keys API Gateway accepts (no colon, unreserved literals, {name} variables)', () => {
    for (const auth of ['iam', 'none', 'lambda'] as const) {
      for (const route of routes(synth({ auth }).template)) {
        expect(() => parseRouteKey(route.RouteKey)).not.toThrow();
      }
    }
  });

  it('gives every operation of the route table its own route, so none depends on $default', () => {
    const deployed = routesFromTemplate(synth().json);
    expect(routeDifferences(deployed, API_ROUTES)).toEqual([]);
    expect(new Set(deployed.map((r) => r.authorizationType))).toEqual(new Set(['AWS_IAM']));
  });
});

describe('CORS', () => {
  it('is off by default and, with corsOrigins, answered by API Gateway for the browser headers a client sends', () => {
    const api = (template: ReturnType<typeof synth>['template']) =>
      Object.values(template.findResources('AWS::ApiGatewayV2::Api'))[0]!.Properties;
    expect(api(synth().template).CorsConfiguration).toBeUndefined();
    const cors = api(synth({ corsOrigins: ['https://app.example.com'] }).template).CorsConfiguration;
    expect(cors).toMatchObject({
      AllowOrigins: ['https://app.example.com'],
      AllowHeaders: expect.arrayContaining(['content-type', 'x-api-key', 'authorization']),
      AllowMethods: expect.arrayContaining(['POST', 'GET']),
      ExposeHeaders: ['x-request-id', 'retry-after'],
    });
  });

  it('allows every method of the route table (writes included) plus HEAD and OPTIONS', () => {
    const { template } = synth({ corsOrigins: ['*'] });
    const cors = Object.values(template.findResources('AWS::ApiGatewayV2::Api'))[0]!.Properties
      .CorsConfiguration as { AllowMethods: string[] };
    expect([...cors.AllowMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
    expect(new Set(API_ROUTES.map((r) => r.method))).toEqual(new Set(['GET', 'POST', 'PUT', 'DELETE']));
  });

  it('rejects an origin with a path, naming the prop', () => {
    expect(() => synth({ corsOrigins: ['https://app.example.com/page'] })).toThrow(/corsOrigins holds/);
  });
});
