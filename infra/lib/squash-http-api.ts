import type { ApiRoute } from '@squash/contracts';
import { Annotations, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpIamAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { API_KEY_AUTHORIZER_CODE, API_KEY_HEADER, API_KEY_SECRET_ENV } from './api-key-authorizer-code.ts';
import { GATEWAY_ROUTES } from './api-routes.ts';
import { executeApiPath } from './route-access.ts';
import { SquashFunction } from './squash-function.ts';
import type { SquashAuth } from './squash-vector-search-props.ts';

interface CreatedAuthorizer {
  readonly authorizer: apigw.IHttpRouteAuthorizer;
  readonly apiKeySecret?: secretsmanager.Secret;
  readonly authorizerFunction?: lambda.Function;
}

/** Properties of `SquashHttpApi`. */
export interface SquashHttpApiProps {
  /** The function every route integrates with (payload format 2.0). */
  readonly coordinator: lambda.IFunction;
  readonly auth: SquashAuth;
  /** Default-stage steady rate, requests per second. */
  readonly rateLimit: number;
  /** Default-stage burst. */
  readonly burstLimit: number;
  /** Origins allowed by CORS; empty turns CORS off. */
  readonly corsOrigins: readonly string[];
  /** For the API key secret and the authorizer's log group (auth `'lambda'`). */
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The public HTTP API (API Gateway v2): the routes of `GATEWAY_ROUTES` plus the `$default` catch-all
 * route, all integrated with the coordinator, on an auto-deployed `$default` stage with
 * throttling, behind one authorizer. The explicit routes document the public surface (and show up
 * per route in detailed metrics and access logs); `$default` lets the coordinator answer the rest.
 *
 * HTTP APIs rather than REST APIs: about 70% cheaper per request and lower added latency; what
 * they lack (request validation, usage plans, WAF) the coordinator and throttling cover.
 */
export class SquashHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** Base URL without a trailing slash, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com`. */
  readonly url: string;
  /** Auth `'iam'`: managed policy granting `execute-api:Invoke` on this API; attach it to callers. */
  readonly invokerPolicy?: iam.ManagedPolicy;
  /** Auth `'lambda'`: the secret holding the API key. */
  readonly apiKeySecret?: secretsmanager.Secret;
  /** Auth `'lambda'`: the request authorizer function. */
  readonly authorizerFunction?: lambda.Function;

  constructor(scope: Construct, id: string, props: SquashHttpApiProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const { authorizer, apiKeySecret, authorizerFunction } = this.createAuthorizer(props);
    this.apiKeySecret = apiKeySecret;
    this.authorizerFunction = authorizerFunction;
    const integration = new HttpLambdaIntegration('Coordinator', props.coordinator, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    // The `$default` route (same integration, same authorizer) hands every request no route matches
    // to the coordinator, so an unknown path or a wrong method gets the API's own 404
    // ROUTE_NOT_FOUND / 405 METHOD_NOT_ALLOWED body instead of API Gateway's {"message":"Not Found"}.
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: stackName,
      description: 'squash: filtered vector search',
      createDefaultStage: false,
      defaultIntegration: integration,
      defaultAuthorizer: authorizer,
      ...(props.corsOrigins.length === 0
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...props.corsOrigins],
              allowMethods: corsMethods(),
              allowHeaders: [
                'content-type',
                'x-api-key',
                'authorization',
                'x-amz-date',
                'x-amz-security-token',
              ],
              exposeHeaders: ['x-request-id', 'retry-after'],
              maxAge: Duration.minutes(10),
            },
          }),
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
    });
    // The endpoint attribute (not a URL assembled from the region) so LocalStack reports its own.
    this.url = this.api.apiEndpoint;
    for (const route of GATEWAY_ROUTES) {
      this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        authorizer,
      });
    }
    if (props.auth === 'iam') {
      this.invokerPolicy = new iam.ManagedPolicy(this, 'InvokerPolicy', {
        managedPolicyName: `${stackName}-squash-invoker`,
        description: 'Call the squash HTTP API with SigV4-signed requests',
        statements: [
          new iam.PolicyStatement({
            actions: ['execute-api:Invoke'],
            // Every route of the one stage, the `$default` route included (its ARN has no
            // method/path pair, so `<stage>/*/*` would not cover it).
            resources: [
              Stack.of(this).formatArn({
                service: 'execute-api',
                resource: this.api.apiId,
                resourceName: `${this.stage.stageName}/*`,
              }),
            ],
          }),
        ],
      });
    }
  }

  /**
   * The `execute-api:Invoke` resource ARN of `route` on the `$default` stage (variables as `*`; see
   * `executeApiPath`).
   */
  routeArn(route: ApiRoute): string {
    return Stack.of(this).formatArn({
      service: 'execute-api',
      resource: this.api.apiId,
      resourceName: `${this.stage.stageName}/${executeApiPath(route)}`,
    });
  }

  private createAuthorizer(props: SquashHttpApiProps): CreatedAuthorizer {
    switch (props.auth) {
      case 'iam':
        return { authorizer: new HttpIamAuthorizer() };
      case 'none':
        Annotations.of(this).addWarningV2(
          'squash:publicApi',
          "auth is 'none': anyone who knows the URL can query the indexes. Use 'iam' or 'lambda' outside test stacks.",
        );
        return { authorizer: new apigw.HttpNoneAuthorizer() };
      case 'lambda':
        return this.createApiKeyAuthorizer(props);
    }
  }

  private createApiKeyAuthorizer(props: SquashHttpApiProps): CreatedAuthorizer {
    const secret = new secretsmanager.Secret(this, 'ApiKey', {
      description: `API key of the squash HTTP API (header ${API_KEY_HEADER})`,
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    const authorizer = new SquashFunction(this, 'ApiKeyAuthorizer', {
      code: { inline: API_KEY_AUTHORIZER_CODE },
      memoryMb: 256,
      timeoutSeconds: 5,
      environment: { [API_KEY_SECRET_ENV]: secret.secretArn },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      description: `squash: checks the ${API_KEY_HEADER} header against the API key secret`,
    });
    authorizer.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    return {
      authorizer: new HttpLambdaAuthorizer('ApiKeyAuthorizer', authorizer.function, {
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: [`$request.header.${API_KEY_HEADER}`],
        resultsCacheTtl: Duration.minutes(5),
      }),
      apiKeySecret: secret,
      authorizerFunction: authorizer.function,
    };
  }
}

/**
 * The methods CORS allows: every method of the route table (so a route added there is callable
 * from a browser without touching this file), plus HEAD and OPTIONS.
 */
function corsMethods(): apigw.CorsHttpMethod[] {
  const methods = new Set<string>([...GATEWAY_ROUTES.map((r) => r.method), 'HEAD', 'OPTIONS']);
  return [...methods].map((m) => apigw.CorsHttpMethod[m as keyof typeof apigw.CorsHttpMethod]);
}
