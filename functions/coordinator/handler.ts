/**
 * Coordinator Lambda (API Gateway HTTP API, payload format 2.0): parses the event, calls the
 * coordinator service through the HTTP router, returns the mapped result. No search logic here.
 */
import { COORDINATOR_SERVICE } from '@squash/contracts';
import {
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
  CoordinatorService,
  createLogger,
  FormatIndexAccess,
  loadConfig,
  routeHttp,
  routerLog,
  tightenDeadline,
} from '@squash/query-service';
import {
  createTracer,
  instrumentInvocation,
  type LambdaInvocationContext,
  tracedLambdaInvoker,
} from '../telemetry/index.ts';
import { coordinatorMetrics, publishQueryMetrics } from './query-metrics.ts';
import { routeAnnotations } from './trace-annotations.ts';

const config = loadConfig(process.env);
const logger = createLogger('squash-coordinator', config.logLevel);
const tracer = createTracer(COORDINATOR_SERVICE);
const log = routerLog(logger);
const metrics = coordinatorMetrics();
const service = new CoordinatorService(config, new FormatIndexAccess(), tracedLambdaInvoker(tracer), {
  log,
  onQuery: (record) => publishQueryMetrics(metrics, record),
});

export async function handler(
  event: ApiGatewayV2Event,
  context: LambdaInvocationContext = {},
): Promise<ApiGatewayV2Result> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId ?? crypto.randomUUID();
  const telemetry = { requestId, annotations: routeAnnotations(event) };
  return instrumentInvocation({ logger, tracer }, context, telemetry, () => {
    // The request budget, cut short by the function's own remaining time if that ends first.
    const deadline = tightenDeadline(Date.now() + config.requestTimeoutMs, config.deadlineMarginMs, context);
    return routeHttp(service, event, requestId, log, { deadline });
  });
}
