import {
  DEFAULT_ROUTE_KEY,
  type GatewayAuthorization,
  type GatewayRoute,
  matchGatewayRoute,
  parseRouteKey,
} from './api-gateway-routes.ts';

/** The part of a CloudFormation template this module reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}

/** A route of the template with the function its integration calls. */
export interface TemplateRoute extends GatewayRoute {
  readonly logicalId: string;
  /** Logical id of the `AWS::Lambda::Function` behind the route's integration. */
  readonly functionLogicalId: string;
}

const AUTHORIZATION_TYPES: readonly GatewayAuthorization[] = ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'];

/**
 * Every `AWS::ApiGatewayV2::Route` of a synthesised template, with its route key, authorization
 * type (`NONE` when absent, as in CloudFormation) and the Lambda function its `AWS_PROXY`
 * integration targets. This is what the bridge serves: the routes come from what was deployed,
 * not from the code that generated it.
 *
 * @throws Error naming the route when its key, target or integration is not one the bridge can serve.
 */
export function routesFromTemplate(template: CfnTemplate): TemplateRoute[] {
  const resources = template.Resources ?? {};
  const routes: TemplateRoute[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const props = resource.Properties ?? {};
    const routeKey = props.RouteKey;
    if (typeof routeKey !== 'string') throw new Error(`route ${logicalId} has no literal RouteKey`);
    parseRouteKey(routeKey);
    const authorizationType = (props.AuthorizationType ?? 'NONE') as GatewayAuthorization;
    if (!AUTHORIZATION_TYPES.includes(authorizationType)) {
      throw new Error(`route ${logicalId} has AuthorizationType ${String(authorizationType)}`);
    }
    const integrationId = refInTarget(props.Target);
    if (integrationId === undefined) throw new Error(`route ${logicalId} has no integrations/<Ref> Target`);
    routes.push({
      logicalId,
      routeKey,
      authorizationType,
      functionLogicalId: integrationFunction(resources, integrationId, logicalId),
    });
  }
  return routes.sort((a, b) => (a.routeKey < b.routeKey ? -1 : a.routeKey > b.routeKey ? 1 : 0));
}

/** `{"Fn::Join": ["", ["integrations/", {"Ref": "<id>"}]]}` -> `<id>`. */
function refInTarget(target: unknown): string | undefined {
  const join = (target as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (join === undefined || join[0] !== '' || join[1]?.[0] !== 'integrations/') return undefined;
  const ref = (join[1][1] as { Ref?: unknown } | undefined)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
}

function integrationFunction(
  resources: NonNullable<CfnTemplate['Resources']>,
  integrationId: string,
  routeId: string,
): string {
  const integration = resources[integrationId];
  if (integration?.Type !== 'AWS::ApiGatewayV2::Integration') {
    throw new Error(
      `route ${routeId} targets ${integrationId}, which is not an AWS::ApiGatewayV2::Integration`,
    );
  }
  const props = integration.Properties ?? {};
  if (props.IntegrationType !== 'AWS_PROXY' || props.PayloadFormatVersion !== '2.0') {
    throw new Error(`integration ${integrationId} is not an AWS_PROXY integration with payload format 2.0`);
  }
  const getAtt = (props.IntegrationUri as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  const functionId = getAtt?.[1] === 'Arn' ? getAtt[0] : undefined;
  if (functionId === undefined || resources[functionId]?.Type !== 'AWS::Lambda::Function') {
    throw new Error(`integration ${integrationId} does not target a Lambda function of this template`);
  }
  return functionId;
}

/** An HTTP operation the service implements: method and OpenAPI-style path (`{name}` variables). */
export interface ServiceOperation {
  readonly method: string;
  readonly path: string;
}

/**
 * Checks that the deployed routes and the service's operations describe the same API: every
 * operation reaches a route of its own (not only `$default`, which exists so the service can answer
 * unknown paths and wrong methods with its own errors), and every explicit route carries at least
 * one operation. Returns the differences, one readable line each; empty when they agree.
 */
export function routeDifferences(
  routes: readonly GatewayRoute[],
  operations: readonly ServiceOperation[],
): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  for (const op of operations) {
    const samplePath = op.path.replace(/\{[A-Za-z0-9_]+\}/g, 'sample');
    const match = matchGatewayRoute(routes, op.method, samplePath);
    if (match === undefined || match.route.routeKey === DEFAULT_ROUTE_KEY) {
      problems.push(`${op.method.toUpperCase()} ${op.path} is served by the service but has no route`);
    } else {
      used.add(match.route.routeKey);
    }
  }
  for (const route of routes) {
    if (route.routeKey !== DEFAULT_ROUTE_KEY && !used.has(route.routeKey)) {
      problems.push(`route ${route.routeKey} carries no operation of the service`);
    }
  }
  return problems;
}
