/**
 * Processor Lambda: searches the partitions it is asked for. Loaded partitions live in module
 * scope (inside the service), so a warm instance answers without touching the store.
 */
import type { ProcessorRequest, TreeResponse } from '@squash/contracts';
import { createLogger, FormatIndexAccess, loadConfig, ProcessorService } from '@squash/query-service';

const config = loadConfig(process.env);
const logger = createLogger('squash-processor', config.logLevel);
const service = new ProcessorService(new FormatIndexAccess());

export async function handler(event: ProcessorRequest): Promise<TreeResponse> {
  const started = Date.now();
  const response = await service.handle(event);
  logger.info('processor', {
    requestId: event.requestId,
    partitions: event.work.map((w) => w.partition),
    coldStart: response.coldStarts > 0,
    bytesRead: response.bytesRead,
    failedPartitions: response.failedPartitions,
    latencyMs: Date.now() - started,
  });
  return response;
}
