/** Fan-out tree node Lambda: invokes up to `branching` children and returns their merged top-k. */
import type { FanoutRequest, TreeResponse } from '@squash/contracts';
import {
  createLogger,
  handleFanout,
  type LambdaContextLike,
  LambdaInvoker,
  loadConfig,
  StoreRoots,
  tightenDeadline,
} from '@squash/query-service';

const config = loadConfig(process.env);
const logger = createLogger('squash-fanout', config.logLevel);
const invoker = new LambdaInvoker();
const storeRoots = StoreRoots.of(config);

export async function handler(event: FanoutRequest, context?: LambdaContextLike): Promise<TreeResponse> {
  const request = { ...event, deadline: tightenDeadline(event.deadline, event.deadlineMarginMs, context) };
  const response = await handleFanout(request, invoker, { storeRoots, log: logger });
  const fields = { requestId: event.requestId, depth: event.depth, units: event.units.length };
  // Faults below this node are logged where they arise (processor) and in the answer (coordinator).
  logger.info('fanout', { ...fields, faults: response.faults.length });
  return response;
}
