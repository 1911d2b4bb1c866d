/**
 * Coordinator Lambda (API Gateway HTTP API, payload format 2.0): parses the event, calls the
 * coordinator service through the HTTP router, returns the mapped result. No search logic here.
 */

import { LambdaClient } from '@aws-sdk/client-lambda';
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
  WriteService,
} from '@squash/query-service';
import { openBlobStore } from '@squash/storage';
import {
  createTracer,
  instrumentInvocation,
  type LambdaInvocationContext,
  tracedLambdaInvoker,
} from '../telemetry/index.ts';
import { coordinatorMetrics, publishQueryMetrics } from './query-metrics.ts';
import { compactionStarter } from './start-compaction.ts';
import { routeAnnotations } from './trace-annotations.ts';

const config = loadConfig(process.env);
const logger = createLogger('squash-coordinator', config.logLevel);
const tracer = createTracer(COORDINATOR_SERVICE);
const log = routerLog(logger);
const metrics = coordinatorMetrics();
// One client for the tree's invocations and the compactor's start; tracedLambdaInvoker captures it.
const lambda = new LambdaClient({ maxAttempts: 1 });
const coordinator = new CoordinatorService(
  config,
  new FormatIndexAccess(),
  tracedLambdaInvoker(tracer, lambda),
  { log, onQuery: (record) => publishQueryMetrics(metrics, record) },
);
const writes = new WriteService(coordinator.directory, {
  open: (uri) => openBlobStore(uri),
  compactionTailRows: config.compactionTailRows,
  onCompactionDue: compactionStarter(lambda, config.compactorFunction, log),
  onIndexDeleted: (name) => coordinator.forget(name),
  log,
});
const services = { coordinator, writes };

export async function handler(
  event: ApiGatewayV2Event,
  context: LambdaInvocationContext = {},
): Promise<ApiGatewayV2Result> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId ?? crypto.randomUUID();
  const telemetry = { requestId, annotations: routeAnnotations(event) };
  return instrumentInvocation({ logger, tracer }, context, telemetry, () => {
    // The request budget, cut short by the function's own remaining time if that ends first.
    const deadline = tightenDeadline(Date.now() + config.requestTimeoutMs, config.deadlineMarginMs, context);
    return routeHttp(services, event, requestId, log, { deadline });
  });
}
