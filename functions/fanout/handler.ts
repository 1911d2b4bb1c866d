/** Fan-out tree node Lambda: invokes up to `branching` children and returns their merged top-k. */
import type { FanoutRequest, TreeResponse } from '@squash/contracts';
import { createLogger, handleFanout, loadConfig, StoreRoots, tightenDeadline } from '@squash/query-service';
import {
  createTracer,
  instrumentInvocation,
  type LambdaInvocationContext,
  tracedLambdaInvoker,
} from '../telemetry/index.ts';

const config = loadConfig(process.env);
const logger = createLogger('squash-fanout', config.logLevel);
const tracer = createTracer('squash-fanout');
const invoker = tracedLambdaInvoker(tracer);
const storeRoots = StoreRoots.of(config);

export async function handler(
  event: FanoutRequest,
  context?: LambdaInvocationContext,
): Promise<TreeResponse> {
  const annotations = { index: event.index, depth: event.depth, units: event.units.length };
  return instrumentInvocation({ logger, tracer }, context, { requestId: event.requestId, annotations }, () =>
    fanOut(event, context),
  );
}

async function fanOut(event: FanoutRequest, context?: LambdaInvocationContext): Promise<TreeResponse> {
  const request = { ...event, deadline: tightenDeadline(event.deadline, event.deadlineMarginMs, context) };
  const response = await handleFanout(request, invoker, { storeRoots, log: logger });
  const fields = { depth: event.depth, units: event.units.length };
  // Faults below this node are logged where they arise (processor) and in the answer (coordinator).
  logger.info('fanout', { ...fields, faults: response.faults.length });
  return response;
}
