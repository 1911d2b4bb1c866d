/** Fan-out tree node Lambda: invokes up to `branching` children and returns their merged top-k. */
import type { FanoutRequest, TreeResponse } from '@squash/contracts';
import { createLogger, handleFanout, LambdaInvoker, loadConfig } from '@squash/query-service';

const config = loadConfig(process.env);
const logger = createLogger('squash-fanout', config.logLevel);
const invoker = new LambdaInvoker();

export async function handler(event: FanoutRequest): Promise<TreeResponse> {
  const response = await handleFanout(event, invoker);
  logger.info('fanout', {
    requestId: event.requestId,
    depth: event.depth,
    units: event.units.length,
    failedPartitions: response.failedPartitions,
  });
  return response;
}
