/**
 * Coordinator Lambda (API Gateway HTTP API, payload format 2.0): parses the event, calls the
 * coordinator service through the HTTP router, returns the mapped result. No search logic here.
 */
import {
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
  CoordinatorService,
  createLogger,
  FormatIndexAccess,
  LambdaInvoker,
  loadConfig,
  routeHttp,
  routerLog,
} from '@squash/query-service';

const config = loadConfig(process.env);
const logger = createLogger('squash-coordinator', config.logLevel);
const service = new CoordinatorService(config, new FormatIndexAccess(), new LambdaInvoker());

export async function handler(
  event: ApiGatewayV2Event,
  context: { readonly awsRequestId?: string } = {},
): Promise<ApiGatewayV2Result> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId ?? crypto.randomUUID();
  return routeHttp(service, event, requestId, routerLog(logger));
}
